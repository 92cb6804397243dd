using Google.Protobuf;
using Onnx;

namespace CollabVlm.VlmSynthesis;

/// <summary>
/// Writes small ONNX graphs node by node with the ONNX proto classes OnnxSharp ships (no Python here).
/// Weights come from a seeded generator so every test run builds the same model.
/// </summary>
public sealed class OnnxGraphBuilder(Random random)
{
    private readonly GraphProto _graph = new() { Name = "synthetic" };
    private int _next;

    public string Input(string name, TensorProto.Types.DataType type, params object[] dims)
    {
        _graph.Input.Add(ValueInfo(name, type, dims));
        return name;
    }

    public void Output(string name, TensorProto.Types.DataType type, params object[] dims) =>
        _graph.Output.Add(ValueInfo(name, type, dims));

    /// <summary>A weight drawn uniformly from ±<paramref name="scale"/>.</summary>
    public string Weight(string name, float scale, params long[] dims)
    {
        var count = dims.Aggregate(1L, (a, b) => a * b);
        var values = new float[count];
        for (var i = 0; i < count; i++) values[i] = (float)((random.NextDouble() * 2 - 1) * scale);
        return Floats(name, values, dims);
    }

    public string Floats(string name, float[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        tensor.FloatData.AddRange(values);
        _graph.Initializer.Add(tensor);
        return name;
    }

    public string Int64s(long[] values, params long[] dims)
    {
        var name = $"const_{_next++}";
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.AddRange(dims);
        tensor.Int64Data.AddRange(values);
        _graph.Initializer.Add(tensor);
        return name;
    }

    public string Scalar(long value) => Int64s([value]);

    public string ScalarFloat(float value) => Floats($"const_{_next++}", [value]);

    /// <summary>Adds a node; its single output gets <paramref name="output"/> or a fresh name.</summary>
    public string Node(string op, string[] inputs, string? output = null, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = $"{op}_{_next}", Output = { output ?? $"{op.ToLowerInvariant()}_{_next}" } };
        _next++;
        node.Input.AddRange(inputs);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return node.Output[0];
    }

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    public static AttributeProto TensorAttribute(string name, TensorProto value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Tensor, T = value };

    public void Save(string path)
    {
        var model = new ModelProto { IrVersion = 8, ProducerName = "collabvlm-synthetic-vlm", Graph = _graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        using var file = File.Create(path);
        model.WriteTo(file);
    }

    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
            shape.Dim.Add(d is string symbol
                ? new TensorShapeProto.Types.Dimension { DimParam = symbol }
                : new TensorShapeProto.Types.Dimension { DimValue = Convert.ToInt64(d) });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }
}
