using System.CommandLine;

namespace CollabVlm.Bench.Demo;

/// <summary>The generated-frame options that <c>demo</c> and <c>latency</c> share: how many frames, their size, text heights and seed.</summary>
public sealed class FrameSetOptions(int defaultFrames)
{
    public Option<int> Frames { get; } = new("--frames") { Description = "frames to generate", DefaultValueFactory = _ => defaultFrames };
    public Option<int> Seed { get; } = new("--seed") { Description = "seed of the frame generator", DefaultValueFactory = _ => 7 };
    public Option<int> Width { get; } = new("--width") { DefaultValueFactory = _ => 3200, Description = "frame width, pixels" };
    public Option<int> Height { get; } = new("--height") { DefaultValueFactory = _ => 2400, Description = "frame height, pixels" };
    public Option<int> MinText { get; } = new("--min-text") { DefaultValueFactory = _ => 10, Description = "smallest text cap height, pixels" };
    public Option<int> MaxText { get; } = new("--max-text") { DefaultValueFactory = _ => 40, Description = "largest text cap height, pixels" };

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { Frames, Seed, Width, Height, MinText, MaxText }) command.Options.Add(o);
    }

    /// <summary>Null when usable; otherwise the error line to print.</summary>
    public string? Problem(ParseResult parse) =>
        parse.GetValue(Frames) < 1 || parse.GetValue(MinText) < 4 || parse.GetValue(MaxText) < parse.GetValue(MinText)
            ? "error: need --frames ≥ 1 and 4 ≤ --min-text ≤ --max-text"
            : null;

    public IEnumerable<DemoFrame> Generate(ParseResult parse) =>
        DemoFrameSet.Generate(parse.GetValue(Frames), parse.GetValue(Width), parse.GetValue(Height), parse.GetValue(MinText), parse.GetValue(MaxText), parse.GetValue(Seed));
}
