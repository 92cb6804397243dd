using System.CommandLine;
using CollabVlm.Inference.Onnx;
using CollabVlm.VlmSynthesis;
using CollabVlm.Inference.Vlm;
using SkiaSharp;
using Spectre.Console;

namespace CollabVlm.Bench.Vlm;

/// <summary>
/// <c>vlm-latency</c>: time the ONNX VLM backend on one generated picture: image preparation +
/// vision encoder, the first token (prefill), and each further token, with and without the KV
/// cache. Per-token time = (time for N tokens − time for 1 token) / (N − 1), median over runs; each
/// figure as wall time and as this process's CPU time (all threads), which a busy shared machine inflates far less.
/// </summary>
public static class VlmLatencyCommand
{
    public static Command Build()
    {
        var modelDir = new Option<string?>("--model-dir") { Description = "VLM export folder (transformers.js / onnx-community layout)" };
        var tiny = new Option<bool>("--tiny") { Description = "generate the tests' tiny VLM in a temporary folder and time that" };
        var tokens = new Option<int>("--tokens") { DefaultValueFactory = _ => 16, Description = "new tokens per run" };
        var runs = new Option<int>("--runs") { DefaultValueFactory = _ => 5, Description = "timed runs (after one warm-up)" };
        var provider = new Option<ExecutionProviderChoice>("--execution-provider") { DefaultValueFactory = _ => ExecutionProviderChoice.Auto };
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime intra-op threads (0 = all cores)" };
        var variant = new Option<string>("--variant") { DefaultValueFactory = _ => "", Description = "graph file suffix, e.g. q4" };
        var warmup = new Option<int>("--warmup-runs") { DefaultValueFactory = _ => 1, Description = "untimed runs first (0 for a real-size model on a slow machine)" };
        var withoutCache = new Option<bool>("--without-cache") { DefaultValueFactory = _ => true, Description = "also time decoding without the KV cache (slow on real sizes)" };
        var splitting = new Option<bool?>("--image-splitting") { Description = "override the preprocessor's do_image_splitting (SmolVLM: 12 tiles + 1 of a 4:3 frame)" };

        var command = new Command("vlm-latency", "time prefill and per-token decoding of an ONNX VLM export");
        foreach (var o in new Option[] { modelDir, tiny, tokens, runs, provider, threads, variant, splitting, warmup, withoutCache }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var n = parse.GetValue(tokens);
            var runCount = parse.GetValue(runs);
            var warmupCount = parse.GetValue(warmup);
            if ((parse.GetValue(modelDir) is null) == !parse.GetValue(tiny) || n < 2 || runCount < 1 || warmupCount < 0)
            {
                Console.Error.WriteLine("error: give exactly one of --model-dir DIR and --tiny; --tokens ≥ 2; --runs ≥ 1; --warmup-runs ≥ 0");
                return 2;
            }
            var temp = parse.GetValue(tiny) ? TinyVlm.Create(Path.Combine(Path.GetTempPath(), "collabvlm-bench-tiny-" + Guid.NewGuid().ToString("N"))) : null;
            try
            {
                var options = new VlmOptions
                {
                    ModelDirectory = temp ?? parse.GetValue(modelDir)!, ExecutionProvider = parse.GetValue(provider),
                    IntraOpThreads = parse.GetValue(threads), Variant = parse.GetValue(variant) ?? "", MaxNewTokens = n,
                    ImageSplitting = parse.GetValue(splitting),
                };
                using var model = new OnnxVlm(options);
                using var picture = Picture(640, 480);
                var table = new Table().AddColumns("cache", "prepare + vision (ms)", "first token (ms)", "per further token (ms)", "tokens");
                foreach (var useCache in parse.GetValue(withoutCache) ? new[] { true, false } : [true])
                {
                    var prepare = new List<(double Wall, double Cpu)>();
                    var first = new List<(double Wall, double Cpu)>();
                    var perToken = new List<(double Wall, double Cpu)>();
                    var generated = 0;
                    for (var r = 1 - warmupCount; r <= runCount; r++)
                    {
                        var clock = PhaseClock.Start();
                        var prompt = model.Prepare("What is in the picture?", [picture]);
                        var tPrepare = clock.Lap();
                        var generator = model.Generator;
                        generator.Generate(prompt.Embeds, new HashSet<long>(), 1, useCache, false, null, CancellationToken.None);
                        var tOne = clock.Lap();
                        var result = generator.Generate(prompt.Embeds, new HashSet<long>(), n, useCache, false, null, CancellationToken.None);
                        var tN = clock.Lap();
                        if (r <= 0) continue; // warm-up
                        generated = result.TokenIds.Count;
                        prepare.Add(tPrepare);
                        first.Add(tOne);
                        perToken.Add(((tN.Wall - tOne.Wall) / (generated - 1), (tN.Cpu - tOne.Cpu) / (generated - 1)));
                    }
                    // Without a warm-up, ONNX Runtime's first-run set-up lands in the one-token run and the difference means nothing.
                    table.AddRow(useCache ? "KV cache" : "none (full re-run)", Median(prepare), Median(first),
                        warmupCount > 0 ? Median(perToken) : "n/a (needs --warmup-runs ≥ 1)", generated.ToString());
                }
                AnsiConsole.MarkupLine($"[bold]{Markup.Escape(model.Name)}[/] on {Markup.Escape(model.ExecutionProvider)}, {model.Contract.Layers} layers, " +
                    $"vocabulary {model.Config.VocabularySize}, {model.Config.ImageSeqLen} tokens per image tile, median of {runCount} runs after {warmupCount} warm-up; " +
                    "wall ms (process CPU ms: on a shared machine the CPU time is what the work costs)");
                AnsiConsole.Write(table);
                return 0;
            }
            finally
            {
                if (temp is not null) Directory.Delete(temp, recursive: true);
            }
        });
        return command;
    }

    private static string Median(List<(double Wall, double Cpu)> values)
    {
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        double Mid(IEnumerable<double> v) => v.Order().ElementAt(values.Count / 2);
        return $"{Mid(values.Select(v => v.Wall)).ToString("0.0", culture)} ({Mid(values.Select(v => v.Cpu)).ToString("0", culture)})";
    }

    private static SKBitmap Picture(int width, int height)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(new SKColor(70, 110, 150));
        using var paint = new SKPaint { Color = SKColors.White };
        canvas.DrawRect(width * 0.6f, height * 0.2f, width * 0.2f, height * 0.2f, paint);
        return bitmap;
    }
}
