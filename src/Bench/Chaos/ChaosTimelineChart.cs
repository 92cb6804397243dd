using ScottPlot;

namespace CollabVlm.Bench.Chaos;

/// <summary>The run's timeline (ScottPlot PNG): answered, failed and lost questions per second, each fault a dashed line.</summary>
public static class ChaosTimelineChart
{
    public const string File = "timeline.png";

    public static string Write(string folder, ChaosResults results)
    {
        var plot = new Plot();
        var seconds = results.Tally.Timeline.Select(s => (double)s.Second).ToArray();
        foreach (var (label, pick, color) in new (string, Func<TimelineSecond, int>, Color)[]
                 {
                     ("answered", s => s.Answered, Colors.SeaGreen), ("failed", s => s.Failed, Colors.OrangeRed), ("lost (by time asked)", s => s.Lost, Colors.Black),
                 })
        {
            var line = plot.Add.Scatter(seconds, results.Tally.Timeline.Select(s => (double)pick(s)).ToArray());
            line.LegendText = $"{label}: {results.Tally.Timeline.Sum(pick)}";
            line.Color = color;
            line.MarkerSize = 0;
        }
        foreach (var fault in results.Faults)
        {
            var mark = plot.Add.VerticalLine(fault.At.TotalSeconds);
            mark.LinePattern = LinePattern.Dashed;
            mark.Color = Colors.SlateBlue;
            // Two words ("kill server1", "healed: partition"): faults close together must not hide each other's label.
            mark.Text = string.Join(' ', fault.What.Split(' ').Take(2));
        }
        plot.Title($"{results.Tally.Asked} questions, {results.Servers} server(s), {results.Edges}×{results.CamerasPerEdge} camera(s), {results.Network}");
        plot.XLabel("seconds since the edges started");
        plot.YLabel("questions per second");
        plot.ShowLegend(Alignment.UpperRight);
        var path = Path.Combine(folder, File);
        plot.SavePng(path, 1200, 600);
        return path;
    }
}
