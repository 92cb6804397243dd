using System.CommandLine;
using CollabVlm.Bench.Commands;
using CollabVlm.Bench.Demo;
using CollabVlm.Bench.Proposals;

namespace CollabVlm.Bench;

public static class BenchCommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand("CollabVlm benchmarks and demo.");
        root.Subcommands.Add(DemoCommand.Build());
        root.Subcommands.Add(GenerateCommand.Build());
        root.Subcommands.Add(PhotoSetCommand.Build());
        root.Subcommands.Add(ProposalsCommand.Build());
        root.Subcommands.Add(RunCommand.Build());
        root.Subcommands.Add(CalibrateCommand.Build());
        root.Subcommands.Add(ReportCommand.Build());
        root.Subcommands.Add(Latency.LatencyCommand.Build());
        root.Subcommands.Add(Latency.EstimatorCommand.Build());
        root.Subcommands.Add(Chaos.ChaosCommand.Build());
        root.Subcommands.Add(LinkShaped.LinkShapedCommand.Build());
        root.Subcommands.Add(Vlm.VlmLatencyCommand.Build());
        root.Subcommands.Add(Vlm.VlmAttentionCommand.Build());
        root.Subcommands.Add(Vlm.VlmSynthCommand.Build());
        root.Subcommands.Add(Fuzzing.FuzzCommand.Build());
        root.Subcommands.Add(Memory.InFlightCommand.Build());
        root.Subcommands.Add(Throughput.ThroughputCommand.Build());
        return root;
    }
}
