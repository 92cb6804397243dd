using CollabVlm.Bench.Proposals;
using CollabVlm.Inference;
using CollabVlm.Primitives;

namespace CollabVlm.Bench.Tests.Proposals;

public sealed class FrameScanTests
{
    private const int W = 4000, H = 3000;

    private static TextProposal Line(double x, double y, double score, string? colour = null) =>
        new(NormalizedBox.Create(x / W, y / H, (x + 120) / W, (y + 16) / H), score, 16, colour);

    // The sign asked for sits at (1200, 1200) px; a surer line sits far from it, at (3500, 2500).
    private static readonly NormalizedBox Truth = NormalizedBox.Create(1190.0 / W, 1195.0 / H, 1330.0 / W, 1220.0 / H);
    private static readonly NormalizedBox ServerBox = NormalizedBox.Create(0.05, 0.05, 0.2, 0.25);

    private static CoarseRelevance MapOn(int cellX, int cellY)
    {
        var cells = new byte[12];
        cells[cellY * 4 + cellX] = 255;
        return new CoarseRelevance(4, 3, cells);
    }

    private static FrameScan Scan(CoarseRelevance? hint, string question = "What does the sign say?", NormalizedBox? serverBox = null) =>
        new("q1", 16, 1, question, W, H, Truth, [Line(3500, 2500, 0.9, "red"), Line(1200, 1200, 0.6, "blue")], 2400, 6, 6, 0.61,
            serverBox ?? ServerBox, hint);

    [Fact]
    public void The_servers_map_moves_the_edges_cut_onto_the_true_sign_the_detector_alone_ranks_second()
    {
        var row = ScanRow.Of(Scan(MapOn(1, 1)), withServer: true);
        Assert.True(row.Found);
        Assert.False(row.FirstByDetector);
        Assert.False(row.ServerHit);
        Assert.True(row.EdgeHit);
        Assert.Equal(1, row.TruePlace);
    }

    [Fact]
    public void A_map_on_the_other_line_leaves_the_true_sign_second_and_the_miss_names_the_line_chosen()
    {
        var row = ScanRow.Of(Scan(MapOn(3, 2)), withServer: true);
        Assert.False(row.EdgeHit);
        Assert.Equal(2, row.TruePlace);
        Assert.Contains("red", row.Describe());
    }

    [Fact]
    public void The_question_naming_the_plate_colour_picks_its_sign_over_a_surer_line()
    {
        // A map on neither line: by the detector the red line wins, by the question the blue one.
        Assert.False(ScanRow.Of(Scan(MapOn(0, 0)), withServer: true).EdgeHit);
        var row = ScanRow.Of(Scan(MapOn(0, 0), "What does the blue sign say?"), withServer: true);
        Assert.True(row.EdgeHit);
        Assert.Equal(1, row.TruePlace);
    }

    [Fact]
    public void Without_the_servers_pass_only_the_scan_is_judged()
    {
        var row = ScanRow.Of(Scan(null) with { ServerBox = null }, withServer: true);
        Assert.Null(row.EdgeHit);
        Assert.Null(row.ServerHit);
        Assert.True(row.Found);
    }

    [Fact]
    public async Task Scans_kept_in_a_file_read_back_equal_with_the_map_and_every_line()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "scans.jsonl");
        var scan = Scan(MapOn(1, 1));
        await FrameScanFile.AppendAsync(path, scan, CancellationToken.None);
        await FrameScanFile.AppendAsync(path, scan with { Id = "q2", Hint = null, ServerBox = null }, CancellationToken.None);
        var read = await FrameScanFile.ReadAsync(path, CancellationToken.None);
        Assert.Equal(2, read.Count);
        Assert.Equal(scan.Proposals, read["q1"].Proposals);
        Assert.Equal(scan.Hint!.Cells, read["q1"].Hint!.Cells);
        Assert.Equal(scan.Truth, read["q1"].Truth);
        Assert.Null(read["q2"].Hint);
        Assert.Equal(ScanRow.Of(scan, true), ScanRow.Of(read["q1"], true));
    }

    [Fact]
    public async Task A_file_that_is_not_frame_scans_is_refused_naming_the_line()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "scans.jsonl");
        await File.WriteAllTextAsync(path, "\n{\"Id\":\"q1\"\n");
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => FrameScanFile.ReadAsync(path, CancellationToken.None));
        Assert.Contains("line 2", error.Message);
        Assert.Empty(await FrameScanFile.ReadAsync(Path.Combine(folder.Path, "none.jsonl"), CancellationToken.None));
    }
}
