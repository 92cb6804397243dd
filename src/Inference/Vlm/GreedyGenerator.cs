using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace CollabVlm.Inference.Vlm;

/// <summary>
/// Greedy decoding over embed_tokens + decoder_model_merged. With the KV cache the prompt runs once
/// (empty past), then one token per step with the previous step's <c>present.N</c> as
/// <c>past_key_values.N</c>; without it every step re-runs the whole sequence (a check on the
/// cache, and a fallback for exports whose cache misbehaves). Token statistics come from each
/// step's last-position logits, in double precision.
/// </summary>
public sealed class GreedyGenerator(InferenceSession embed, InferenceSession decoder, VlmExportContract contract, int hidden)
{
    public int Hidden => hidden;

    /// <summary>Embeddings [1, ids.Count, hidden] of token ids, row-major.</summary>
    public float[] Embed(IReadOnlyList<long> ids)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(ids.ToArray(), [1, ids.Count]);
        using var runOptions = new RunOptions();
        using var outputs = embed.Run(runOptions, ["input_ids"], [input], ["inputs_embeds"]);
        var shape = outputs[0].GetTensorTypeAndShape().Shape;
        if (shape[^1] != hidden)
            throw new InvalidDataException($"embed_tokens returned width {shape[^1]}, but the image features have width {hidden}");
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    /// <param name="promptEmbeds">[1, promptLength, hidden] with image features already in place.</param>
    /// <param name="attentionLayer">Layer whose attention to capture from the prompt pass, or null.</param>
    public GenerationResult Generate(float[] promptEmbeds, IReadOnlySet<long> stopIds, int maxNewTokens, bool useCache,
        bool keepLogits, int? attentionLayer, CancellationToken cancellationToken)
    {
        var promptLength = promptEmbeds.Length / hidden;
        var ids = new List<long>();
        var stats = new List<TokenStat>();
        var logits = new List<float[]>();
        float[]? attention = null;
        var stopped = false;
        var sequence = new List<float>(promptEmbeds);
        IDisposableReadOnlyCollection<OrtValue>? previous = null;
        try
        {
            for (var step = 0; step < maxNewTokens; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var first = step == 0 || !useCache;
                var total = promptLength + step;
                float[] stepEmbeds = first ? sequence.ToArray() : sequence.GetRange(sequence.Count - hidden, hidden).ToArray();
                var outputs = Run(stepEmbeds, total, first ? 0 : total - 1, first ? null : previous, step == 0 ? attentionLayer : null);
                previous?.Dispose();
                previous = outputs;

                var logitValue = outputs[0];
                var shape = logitValue.GetTensorTypeAndShape().Shape;
                var vocab = (int)shape[2];
                var rows = (int)shape[1];
                var last = logitValue.GetTensorDataAsSpan<float>().Slice((rows - 1) * vocab, vocab);
                if (step == 0 && attentionLayer is not null && contract.HasAttentions)
                    attention = LastRowMeanOverHeads(outputs[^1]);

                var next = ArgMax(last);
                if (stopIds.Contains(next))
                {
                    stopped = true;
                    break;
                }
                stats.Add(TokenStatistics.FromLogits(last));
                if (keepLogits) logits.Add(last.ToArray());
                ids.Add(next);
                if (step + 1 < maxNewTokens)
                    sequence.AddRange(Embed([next]));
            }
        }
        finally
        {
            previous?.Dispose();
        }
        return new GenerationResult(ids, stats, logits, stopped, attention);
    }

    /// <summary>One decoder pass over the prompt only, returning the last token's attention at <paramref name="layer"/>.</summary>
    public float[] PromptAttention(float[] promptEmbeds, int layer)
    {
        if (!contract.HasAttentions)
            throw new InvalidOperationException("the decoder export has no attention outputs");
        using var outputs = Run(promptEmbeds, promptEmbeds.Length / hidden, 0, null, layer);
        return LastRowMeanOverHeads(outputs[^1]);
    }

    /// <summary>
    /// Runs the decoder on <paramref name="embeds"/> whose first row sits at <paramref name="firstPosition"/>;
    /// the past comes from <paramref name="past"/>'s present outputs (or is empty). Outputs: logits,
    /// present.N.key/value for every layer, then the attention output when <paramref name="attentionLayer"/> is set.
    /// </summary>
    private IDisposableReadOnlyCollection<OrtValue> Run(float[] embeds, int total, int firstPosition, IDisposableReadOnlyCollection<OrtValue>? past, int? attentionLayer)
    {
        var length = embeds.Length / hidden;
        var names = new List<string> { "inputs_embeds", "attention_mask", "position_ids" };
        var owned = new List<OrtValue>
        {
            OrtValue.CreateTensorValueFromMemory(embeds, [1, length, hidden]),
            OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat(1L, total).ToArray(), [1, total]),
            OrtValue.CreateTensorValueFromMemory(Enumerable.Range(firstPosition, length).Select(p => (long)p).ToArray(), [1, length]),
        };
        var values = new List<OrtValue>(owned);
        try
        {
            for (var i = 0; i < contract.Layers; i++)
            {
                names.Add(VlmExportContract.PastKey(i));
                names.Add(VlmExportContract.PastValue(i));
                if (past is null)
                {
                    // The first pass has no past: zero-length caches, as transformers.js sends them.
                    long[] empty = [1, contract.KeyValueHeads, 0, contract.HeadDim];
                    var k = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, TensorElementType.Float, empty);
                    var v = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, TensorElementType.Float, empty);
                    owned.Add(k);
                    owned.Add(v);
                    values.Add(k);
                    values.Add(v);
                }
                else
                {
                    values.Add(past[1 + 2 * i]);
                    values.Add(past[2 + 2 * i]);
                }
            }
            if (contract.HasUseCacheBranch)
            {
                names.Add("use_cache_branch");
                var branch = OrtValue.CreateTensorValueFromMemory(new[] { past is not null }, [1]);
                owned.Add(branch);
                values.Add(branch);
            }
            var outputNames = new List<string> { "logits" };
            for (var i = 0; i < contract.Layers; i++)
            {
                outputNames.Add(VlmExportContract.PresentKey(i));
                outputNames.Add(VlmExportContract.PresentValue(i));
            }
            if (attentionLayer is { } layer && contract.HasAttentions)
                outputNames.Add(contract.AttentionOutputs[layer]);
            using var runOptions = new RunOptions();
            return decoder.Run(runOptions, names, values, outputNames);
        }
        finally
        {
            foreach (var value in owned) value.Dispose();
        }
    }

    /// <summary>Attention [1, heads, q, k] → the last query row, averaged over heads, in double.</summary>
    private static float[] LastRowMeanOverHeads(OrtValue attention)
    {
        var shape = attention.GetTensorTypeAndShape().Shape;
        int heads = (int)shape[1], queries = (int)shape[2], keys = (int)shape[3];
        var data = attention.GetTensorDataAsSpan<float>();
        var sum = new double[keys];
        for (var h = 0; h < heads; h++)
        {
            var row = data.Slice((h * queries + queries - 1) * keys, keys);
            for (var k = 0; k < keys; k++) sum[k] += row[k];
        }
        return sum.Select(s => (float)(s / heads)).ToArray();
    }

    private static long ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
            if (values[i] > values[best]) best = i;
        return best;
    }
}
