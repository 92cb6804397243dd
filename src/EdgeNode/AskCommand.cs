using System.CommandLine;
using System.Text.Json;
using Akka.Actor;
using Akka.Hosting;
using CollabVlm.Actors.Edge;
using CollabVlm.Messages;
using CollabVlm.NodeDefaults;
using CollabVlm.Primitives;
using CollabVlm.TwoStage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CollabVlm.EdgeNode;

/// <summary><c>ask --image FILE --question TEXT [--json]</c>: joins the cluster as an edge, asks once, prints the answer.</summary>
public static class AskCommand
{
    public static Command Build()
    {
        var flags = EdgeCommandLine.EdgeFlags();
        var image = new Option<FileInfo>("--image") { Description = "the frame, JPEG or PNG", Required = true };
        var question = new Option<string>("--question") { Description = "what to ask about it", Required = true };
        var json = new Option<bool>("--json") { Description = "print the result as JSON" };
        var policy = new Option<RetransmitPolicy>("--policy") { Description = "gated (default) | always | never", DefaultValueFactory = _ => RetransmitPolicy.Gated };
        var threshold = new Option<double?>("--threshold") { Description = "override the server's η for this query" };
        var joinTimeout = new Option<TimeSpan>("--join-timeout") { Description = "how long to wait for a server", DefaultValueFactory = _ => TimeSpan.FromSeconds(30) };

        var command = new Command("ask", "ask one question about one image and print the answer");
        flags.AddTo(command);
        foreach (var o in new Option[] { image, question, json, policy, threshold, joinTimeout }) command.Options.Add(o);
        command.SetAction((parse, cancellationToken) => CommonFlags.ReportingSettingsErrors(async () =>
        {
            var file = parse.GetValue(image)!;
            if (!file.Exists)
            {
                await Console.Error.WriteLineAsync($"error: image file not found: {file.FullName}");
                return 2;
            }
            // stdout carries the report only (so `ask --json | jq` works): the console logger and Akka's
            // own stdout logger (which prints during shutdown) write to Console.Out, so point it at stderr
            // before the host and its loggers are built.
            var report = Console.Out;
            Console.SetOut(Console.Error);
            var configuration = flags.Configuration(parse);
            using var host = EdgeCommandLine.BuildHost(configuration, devices: 1);
            await host.StartAsync(cancellationToken);
            try
            {
                var system = host.Services.GetRequiredService<ActorSystem>();
                await ClusterReadiness.WaitForRoleAsync(system, ClusterRoles.Server, 1, parse.GetValue(joinTimeout), cancellationToken);
                var settings = host.Services.GetRequiredService<EdgeSettings>();
                var options = new QueryOptions(settings.DefaultDeadline, parse.GetValue(policy), parse.GetValue(threshold));
                var device = host.Services.GetRequiredService<EdgeDeviceSet>().Devices[0];
                // Bounded: every attempt may use the deadline plus grace, and the edge gives up after MaxAttempts.
                var patience = (settings.DefaultDeadline + settings.AnswerGrace + settings.AcceptTimeout) * settings.MaxAttempts;
                var outcome = await device.Ask<QueryOutcome>(new AskQuestion(await File.ReadAllBytesAsync(file.FullName, cancellationToken), parse.GetValue(question)!, options), patience, cancellationToken);
                await report.WriteLineAsync(parse.GetValue(json) ? JsonSerializer.Serialize(OutcomeReport.From(outcome), OutcomeReport.JsonOptions) : OutcomeReport.From(outcome).ToText());
                await report.FlushAsync(CancellationToken.None);
                return outcome.IsAnswered ? 0 : 1;
            }
            catch (TimeoutException e)
            {
                await Console.Error.WriteLineAsync($"error: {e.Message}");
                return 3;
            }
            finally
            {
                await host.StopAsync(CancellationToken.None);
            }
        }));
        return command;
    }
}
