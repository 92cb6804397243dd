using System.CommandLine;
using CollabVlm.Inference.Vlm;

namespace CollabVlm.Bench.Vlm;

/// <summary><c>vlm-add-attentions</c>: expose a decoder's attention Softmax outputs as <c>attentions.N</c> (see <see cref="AttentionOutputSurgery"/>).</summary>
public static class VlmAttentionCommand
{
    public static Command Build()
    {
        var input = new Option<FileInfo>("--input") { Required = true, Description = "decoder_model_merged.onnx to read" };
        var output = new Option<FileInfo>("--output") { Required = true, Description = "where to write the graph with attentions.N outputs (same folder, so external weights still resolve)" };
        var command = new Command("vlm-add-attentions", "add attentions.N outputs to a decoder export with plain Softmax attention");
        command.Options.Add(input);
        command.Options.Add(output);
        command.SetAction(parse =>
        {
            try
            {
                var added = AttentionOutputSurgery.AddAttentionOutputs(parse.GetValue(input)!.FullName, parse.GetValue(output)!.FullName);
                Console.WriteLine($"added {added.Count} outputs: {string.Join(", ", added)}");
                return 0;
            }
            catch (Exception e) when (e is NotSupportedException or InvalidOperationException or IOException or Google.Protobuf.InvalidProtocolBufferException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
