using Google.Protobuf;
using Onnx;

namespace CollabVlm.Inference.Vlm;

/// <summary>
/// Adds <c>attentions.N</c> outputs to a decoder export whose attention is built from plain ONNX
/// ops (MatMul → Softmax → MatMul): the N-th attention Softmax in graph order (ONNX graphs are
/// stored topologically sorted, so that is layer N) gets an Identity to a new graph output.
/// It cannot when the weights never exist as a tensor: fused attention kernels
/// (com.microsoft Attention, MultiHeadAttention, GroupQueryAttention, …, ONNX Attention) compute
/// softmax inside one op, and a decoder whose layers sit inside If/Loop subgraphs (optimum's
/// <c>use_cache_branch</c> merge) keeps them out of reach of graph outputs. Then it refuses,
/// naming the op or the count it found; re-export without the fusion (e.g. the fp32 graph
/// before ORT's transformer optimizer) instead.
/// </summary>
public static class AttentionOutputSurgery
{
    /// <summary>Ops that compute attention weights internally and never output them.</summary>
    public static readonly string[] FusedAttentionOps =
    [
        "Attention", "MultiHeadAttention", "GroupQueryAttention", "PackedAttention", "PackedMultiHeadAttention",
        "DecoderMaskedMultiHeadAttention", "DecoderMaskedSelfAttention", "SparseAttention", "PagedAttention", "LongformerAttention",
    ];

    /// <returns>The names of the outputs added, layer by layer.</returns>
    public static IReadOnlyList<string> AddAttentionOutputs(string inputPath, string outputPath)
    {
        if (!File.Exists(inputPath)) throw new FileNotFoundException($"decoder graph not found: {inputPath}", inputPath);
        ModelProto model;
        using (var stream = File.OpenRead(inputPath))
            model = ModelProto.Parser.ParseFrom(stream);
        var added = AddAttentionOutputs(model.Graph);
        // External weights (decoder_model_merged.onnx_data) are referenced by relative path, so the
        // new graph must sit in the same folder as the old one to find them.
        using (var output = File.Create(outputPath))
            model.WriteTo(output);
        return added;
    }

    public static IReadOnlyList<string> AddAttentionOutputs(GraphProto graph)
    {
        var fused = AllNodes(graph).FirstOrDefault(n => FusedAttentionOps.Contains(n.OpType));
        if (fused is not null)
            throw new NotSupportedException(
                $"the decoder uses the fused attention op {(fused.Domain.Length > 0 ? fused.Domain + "." : "")}{fused.OpType} (node {fused.Name}): " +
                "its attention weights are computed inside the kernel and never exist as a tensor, so no output can expose them; " +
                "use an export whose attention is plain MatMul/Softmax (unfused fp32), or the backend's feature-similarity proxy");
        if (graph.Output.Any(o => o.Name.StartsWith(VlmExportContract.AttentionOutputPrefix, StringComparison.Ordinal)))
            throw new InvalidOperationException("the decoder already has attentions.N outputs");

        var layers = graph.Input.Count(i => i.Name.StartsWith("past_key_values.", StringComparison.Ordinal) && i.Name.EndsWith(".key", StringComparison.Ordinal));
        var consumers = graph.Node.SelectMany(n => n.Input.Select(i => (Input: i, Node: n))).ToLookup(p => p.Input, p => p.Node);
        // Attention softmax: its probabilities are multiplied with the values by a MatMul.
        var softmaxes = graph.Node.Where(n => n.OpType == "Softmax" && consumers[n.Output[0]].Any(c => c.OpType == "MatMul")).ToList();
        if (softmaxes.Count != layers)
        {
            var nested = graph.Node.Where(n => n.OpType is "If" or "Loop" or "Scan").Select(n => n.OpType).Distinct().ToList();
            throw new NotSupportedException(
                $"found {softmaxes.Count} attention Softmax nodes (Softmax feeding a MatMul) in the main graph for {layers} layers " +
                $"(past_key_values.N.key inputs){(nested.Count > 0 ? $"; the graph has {string.Join("/", nested)} subgraphs, which hide their nodes from graph outputs" : "")}");
        }

        var names = new List<string>();
        for (var i = 0; i < softmaxes.Count; i++)
        {
            var name = VlmExportContract.AttentionOutputPrefix + i;
            graph.Node.Add(new NodeProto { OpType = "Identity", Name = $"expose_{name}", Input = { softmaxes[i].Output[0] }, Output = { name } });
            graph.Output.Add(new ValueInfoProto
            {
                Name = name,
                Type = new TypeProto
                {
                    TensorType = new TypeProto.Types.Tensor
                    {
                        ElemType = (int)TensorProto.Types.DataType.Float,
                        Shape = new TensorShapeProto
                        {
                            Dim =
                            {
                                new TensorShapeProto.Types.Dimension { DimParam = "batch_size" },
                                new TensorShapeProto.Types.Dimension { DimParam = "num_heads" },
                                new TensorShapeProto.Types.Dimension { DimParam = "sequence_length" },
                                new TensorShapeProto.Types.Dimension { DimParam = "total_sequence_length" },
                            },
                        },
                    },
                },
            });
            names.Add(name);
        }
        return names;
    }

    private static IEnumerable<NodeProto> AllNodes(GraphProto graph) =>
        graph.Node.SelectMany(n => new[] { n }.Concat(n.Attribute.SelectMany(a =>
            (a.G is null ? [] : new[] { a.G }).Concat(a.Graphs)).SelectMany(AllNodes)));
}
