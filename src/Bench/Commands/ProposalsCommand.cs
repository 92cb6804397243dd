using System.CommandLine;
using System.Globalization;
using CollabVlm.Bench.Datasets;
using CollabVlm.Bench.Runs;
using CollabVlm.Imaging;
using CollabVlm.Inference;
using CollabVlm.Inference.Reader;
using CollabVlm.Simulation.Evaluation;
using CollabVlm.TwoStage;
using Spectre.Console;

namespace CollabVlm.Bench.Commands;

/// <summary>
/// <c>proposals --dataset DIR [--limit N] [--max-pixels P] [--time-budget S]</c>: the edge's full-frame
/// text scan alone, per question with a true box — its time, tiles covered, lines found, whether one
/// of them overlaps the true box (recall) and whether the detector-only rank puts it first.
/// Per text-height band. No server, no reading: what the edge-proposals candidate can find at best.
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
        var command = new Command("proposals", "the edge's full-frame text scan alone: time, recall of the true box, rank, per text-height band");
        foreach (var o in new Option[] { dataset, limit, maxPixels, budget, modelDir }) command.Options.Add(o);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (await DatasetManifest.LoadOrReportAsync(parse.GetValue(dataset)!.FullName) is not { } set) return 2;
            using var proposer = new TiledTextProposer(new ReaderOptions { ModelDirectory = parse.GetValue(modelDir) }, parse.GetValue(maxPixels),
                TimeSpan.FromSeconds(parse.GetValue(budget)));
            var items = set.Items.Where(i => i.Box is not null).Take(parse.GetValue(limit) ?? int.MaxValue).ToList();
            var rows = new List<(int? Height, double Ms, bool Found, bool First, int Count, bool Complete)>();
            foreach (var item in items)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var frame = SafeImageDecoder.Decode(await File.ReadAllBytesAsync(set.ImagePath(item), cancellationToken));
                var found = await Task.Run(() => proposer.Propose(frame, cancellationToken), cancellationToken);
                var b = item.Box!;
                var truth = RoiOverlap.Normalize(b.X0, b.Y0, Math.Min(b.X1, frame.Width), Math.Min(b.Y1, frame.Height), frame.Width, frame.Height);
                var holding = found.Proposals.Where(p => RoiOverlap.IntersectionOverUnion(p.Box, truth) > 0).ToList();
                var best = found.Proposals.Where(p => p.HeightPx >= ProposalRanking.MinHeightPx).MaxBy(p => ProposalRanking.Rank(p, null, frame.Width, frame.Height));
                rows.Add((item.TextHeightPx, found.Elapsed.TotalMilliseconds, holding.Count > 0, best is not null && holding.Contains(best), found.Proposals.Count, found.Complete));
                AnsiConsole.MarkupLine(Markup.Escape(FormattableString.Invariant(
                    $"{item.Id} text {item.TextHeightPx} px: {found.Elapsed.TotalMilliseconds:0} ms, {found.TilesDone}/{found.TilesPlanned} tiles at scale {found.Scale:0.00}, {found.Proposals.Count} lines, true box {(holding.Count > 0 ? "found" : "missed")}{(best is not null && holding.Contains(best) ? ", ranked first" : "")}")));
            }
            var table = new Table().AddColumns("text height", "questions", "true box found", "ranked first", "lines / frame", "scan ms p50", "complete");
            foreach (var (band, low, high) in RoiFigures.Bands.Append(("all", 0, int.MaxValue)))
            {
                var part = rows.Where(r => r.Height is { } h && h >= low && h <= high || band == "all").ToList();
                if (part.Count == 0) continue;
                table.AddRow(band, $"{part.Count}", $"{part.Count(r => r.Found)}/{part.Count}", $"{part.Count(r => r.First)}/{part.Count}",
                    part.Average(r => r.Count).ToString("0.0", CultureInfo.InvariantCulture),
                    Percentiles.NearestRank(part.Select(r => r.Ms).Order().ToList(), 0.5).ToString("0", CultureInfo.InvariantCulture),
                    $"{part.Count(r => r.Complete)}/{part.Count}");
            }
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }
}
