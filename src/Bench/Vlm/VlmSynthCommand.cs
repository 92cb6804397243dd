using System.CommandLine;
using System.Diagnostics;
using CollabVlm.VlmSynthesis;

namespace CollabVlm.Bench.Vlm;

/// <summary>
/// <c>vlm-synth</c>: write a random-weight Idefics3/SmolVLM-layout export of a preset's sizes, so
/// <c>vlm-latency --model-dir</c> can show what a real-size model costs where no weights can be downloaded.
/// </summary>
public static class VlmSynthCommand
{
    public static Command Build()
    {
        var preset = new Option<string>("--preset") { DefaultValueFactory = _ => SyntheticVlmShape.SmolVlm256M.Name, Description = $"sizes: {string.Join(", ", SyntheticVlmShape.Presets.Keys)}" };
        var output = new Option<string>("--output") { Required = true, Description = "folder to write (keep it out of git, e.g. artifacts/)" };
        var splitting = new Option<bool>("--image-splitting") { DefaultValueFactory = _ => true, Description = "preprocessor's do_image_splitting (SmolVLM ships true)" };
        var attentions = new Option<bool>("--attentions") { DefaultValueFactory = _ => true, Description = "expose attentions.N outputs (rel-att relevance)" };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 7 };

        var command = new Command("vlm-synth", "write a random-weight VLM export with a real model's dimensions");
        foreach (var o in new Option[] { preset, output, splitting, attentions, seed }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            if (!SyntheticVlmShape.Presets.TryGetValue(parse.GetValue(preset) ?? "", out var shape))
            {
                Console.Error.WriteLine($"error: unknown --preset '{parse.GetValue(preset)}'; known: {string.Join(", ", SyntheticVlmShape.Presets.Keys)}");
                return 2;
            }
            var directory = Path.GetFullPath(parse.GetValue(output)!);
            var clock = Stopwatch.StartNew();
            SyntheticVlm.Create(directory, shape, parse.GetValue(attentions), parse.GetValue(splitting), parse.GetValue(seed));
            var files = Directory.GetFiles(Path.Combine(directory, "onnx"));
            var bytes = files.Sum(f => new FileInfo(f).Length);
            Console.WriteLine($"{shape.Name}: {shape.Layers} decoder layers × {shape.Hidden} ({shape.Heads} query / {shape.KeyValueHeads} key-value heads, MLP {shape.Intermediate}), " +
                $"vocabulary {shape.VocabularySize}; vision {shape.VisionLayers} layers × {shape.VisionHidden}, {shape.ImageSide}-px tiles, {shape.ImageSeqLen} tokens per tile");
            Console.WriteLine($"wrote {files.Length} graphs, {bytes / 1e6:0} MB, to {directory} in {clock.Elapsed.TotalSeconds:0.0} s (random weights)");
            return 0;
        });
        return command;
    }
}
