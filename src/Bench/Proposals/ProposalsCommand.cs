using System.CommandLine;
using CollabVlm.Bench.Datasets;
using CollabVlm.Bench.Runs;
using CollabVlm.Imaging;
using CollabVlm.Inference;
using CollabVlm.Inference.Reader;
using CollabVlm.Primitives;
using CollabVlm.TwoStage;
using CollabVlm.TwoStage.GlobalImage;
using CollabVlm.TwoStage.Region;
using Spectre.Console;

namespace CollabVlm.Bench.Proposals;

/// <summary>
/// <c>proposals --dataset DIR [--with-server] [--scans FILE] …</c>: the edge's full-frame text scan alone,
/// per question with a true box — its time, tiles covered, lines found, whether one of them overlaps the
/// true box (recall) and whether the detector-only rank puts it first. With <c>--with-server</c> the
/// server's global pass runs too, and the region the edge would cut (ranked with the server's map and the
/// question, as <see cref="RegionChoice.Cut"/> does in the cluster) is checked against the true box beside
/// the server's own region: the ranking on its own, with the whole scan, however slow the CPU.
/// <c>--scans FILE</c> keeps each frame's scan and global pass, so a change to the ranking replays in seconds.
/// Per text-height band.
/// </summary>
public static class ProposalsCommand
{
    public static Command Build()
    {
        var dataset = new Option<DirectoryInfo>("--dataset") { Description = "data set folder (manifest.jsonl + images, with boxes)", Required = true };
        var limit = new Option<int?>("--limit") { Description = "only the first N questions" };
        var maxPixels = new Option<long>("--max-pixels") { Description = "detector pixels per frame (Edge:ProposalMaxPixels)", DefaultValueFactory = _ => new EdgeSettings().ProposalMaxPixels };
        var budget = new Option<double>("--time-budget") { Description = "seconds per frame (Edge:ProposalTimeBudget)", DefaultValueFactory = _ => 60 };
        var modelDir = new Option<string?>("--model-dir") { Description = "folder with the PP-OCRv4 files" };
        var withServer = new Option<bool>("--with-server") { Description = "run the server's global pass too and check the region the edge would cut (map + question)" };
        var linkMbps = new Option<double?>("--link-mbps") { Description = "the uplink the edge believes it has, Mbit/s, which sizes its global image (default: unlimited)" };
        var scans = new Option<FileInfo?>("--scans") { Description = "JSON-lines file of scans: frames found there are replayed, others scanned and appended" };
        var runnersUp = new Option<int>("--runners-up") { Description = "crops of the next-best lines beside the region (Edge:RegionRunnersUp)", DefaultValueFactory = _ => new EdgeSettings().RegionRunnersUp };
        var command = new Command("proposals", "the edge's full-frame text scan alone: time, recall of the true box, rank, per text-height band");
        foreach (var o in new Option[] { dataset, limit, maxPixels, budget, modelDir, withServer, linkMbps, scans, runnersUp }) command.Options.Add(o);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (await DatasetManifest.LoadOrReportAsync(parse.GetValue(dataset)!.FullName) is not { } set) return 2;
            if (parse.GetValue(linkMbps) is <= 0 || parse.GetValue(budget) <= 0 || parse.GetValue(runnersUp) is < 0 or > EdgeSettings.MaxRegionRunnersUp)
            {
                await Console.Error.WriteLineAsync($"error: need --link-mbps > 0, --time-budget > 0 and --runners-up in 0..{EdgeSettings.MaxRegionRunnersUp}");
                return 2;
            }
            var scanFile = parse.GetValue(scans)?.FullName;
            Dictionary<string, FrameScan> kept;
            try
            {
                kept = scanFile is null ? [] : await FrameScanFile.ReadAsync(scanFile, cancellationToken);
            }
            catch (InvalidDataException e)
            {
                await Console.Error.WriteLineAsync($"error: {e.Message}");
                return 2;
            }
            if (kept.Count > 0) AnsiConsole.MarkupLine(Markup.Escape($"replaying {kept.Count} kept scans from {scanFile} (delete it to scan again)"));

            var reader = new ReaderOptions { ModelDirectory = parse.GetValue(modelDir) };
            var server = parse.GetValue(withServer);
            var link = RunSettings.LinkFor(parse.GetValue(linkMbps) is { } mbps
                ? new Latency.ShapedLink("proposals", (long)(mbps * 1_000_000), TimeSpan.FromMilliseconds(50)).Uplink
                : null);
            // Made on first use: a replay of kept scans loads no model at all.
            var proposer = new Lazy<TiledTextProposer>(() => new TiledTextProposer(reader, parse.GetValue(maxPixels), TimeSpan.FromSeconds(parse.GetValue(budget))));
            var model = new Lazy<PpOcrReader>(() => new PpOcrReader(reader));
            var serverSettings = new ServerSettings();
            var edgeSettings = new EdgeSettings();

            try
            {
                var items = set.Items.Where(i => i.Box is not null).Take(parse.GetValue(limit) ?? int.MaxValue).ToList();
                var rows = new List<ScanRow>();
                foreach (var item in items)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (!kept.TryGetValue(item.Id, out var scan) || server && scan.ServerBox is null)
                    {
                        scan = await ScanAsync(set, item, proposer, server ? model : null, link, edgeSettings, serverSettings, cancellationToken);
                        if (scanFile is not null) await FrameScanFile.AppendAsync(scanFile, scan, cancellationToken);
                    }
                    var row = ScanRow.Of(scan, server, parse.GetValue(runnersUp), edgeSettings.SnappedRegionPixels);
                    rows.Add(row);
                    AnsiConsole.MarkupLine(Markup.Escape($"{scan.Id}: {row.Describe()}"));
                }
                AnsiConsole.Write(ScanRow.Table(rows, server));
                return 0;
            }
            finally
            {
                if (proposer.IsValueCreated) proposer.Value.Dispose();
                if (model.IsValueCreated) model.Value.Dispose();
            }
        });
        return command;
    }

    private static async Task<FrameScan> ScanAsync(Dataset set, DatasetItem item, Lazy<TiledTextProposer> proposer, Lazy<PpOcrReader>? model, LinkView link,
        EdgeSettings edge, ServerSettings server, CancellationToken cancellationToken)
    {
        using var frame = SafeImageDecoder.Decode(await File.ReadAllBytesAsync(set.ImagePath(item), cancellationToken));
        var found = await proposer.Value.ProposeAsync(frame, cancellationToken);
        var truth = item.Box!.In(frame.Width, frame.Height);
        NormalizedBox? serverBox = null;
        CoarseRelevance? hint = null;
        if (model is not null)
        {
            // The server's side as the coordinator runs it: the edge's global image, the global pass, the region and its map.
            var global = GlobalImageBudget.Make(frame, link, edge);
            var output = await model.Value.AnswerAsync(new ModelInput(item.Question, global.Bytes), cancellationToken);
            serverBox = RegionChoice.For(output, server.LocalBasePixels, frame.Width, frame.Height);
            hint = RegionChoice.Hint(output);
        }
        return new FrameScan(item.Id, item.TextHeightPx, item.Distractors, item.Question, frame.Width, frame.Height, truth, found.Proposals,
            found.Elapsed.TotalMilliseconds, found.TilesDone, found.TilesPlanned, found.Scale, serverBox, hint, edge.GlobalLongSide);
    }
}
