using System.Runtime.InteropServices;
using CoPilot.Export.Onnx;
using Google.Protobuf;

namespace CoPilot.Export;

/// <summary>
/// Builds one ONNX graph node by node: inputs and outputs with their types, initializers stored as raw
/// little-endian bytes, and nodes whose outputs get unique names.
/// </summary>
internal sealed class OnnxGraphBuilder(string name)
{
    public const string MicrosoftDomain = "com.microsoft";

    private readonly GraphProto _graph = new() { Name = name };
    private readonly HashSet<string> _names = [];
    private int _nextValue;

    public GraphProto Graph => _graph;

    /// <summary>A graph input; each dimension is a fixed size (int) or a symbolic name (string).</summary>
    public string Input(string valueName, TensorProto.Types.DataType type, params object[] dims)
    {
        _graph.Input.Add(ValueInfo(Claim(valueName), type, dims));
        return valueName;
    }

    /// <summary>Declares an already produced value as a graph output.</summary>
    public void Output(string valueName, TensorProto.Types.DataType type, params object[] dims) =>
        _graph.Output.Add(ValueInfo(valueName, type, dims));

    public string Initializer(string valueName, ReadOnlySpan<float> values, params long[] dims) =>
        Initializer(valueName, TensorProto.Types.DataType.Float, MemoryMarshal.AsBytes(values), dims);

    public string Initializer(string valueName, ReadOnlySpan<byte> values, params long[] dims) =>
        Initializer(valueName, TensorProto.Types.DataType.Uint8, values, dims);

    /// <summary>Adds a node with one output and returns the output's name.</summary>
    public string Node(string opType, IEnumerable<string> inputs, string domain = "", params AttributeProto[] attributes) =>
        Node(opType, inputs, 1, domain, attributes)[0];

    /// <summary>Adds a node; outputs are named after the op so that ORT's profiles and errors can be read.</summary>
    public string[] Node(string opType, IEnumerable<string> inputs, int outputs, string domain = "", params AttributeProto[] attributes)
    {
        var names = new string[outputs];
        for (int i = 0; i < outputs; i++)
        {
            names[i] = Claim($"{opType}_{_nextValue++}");
        }

        return AddNode(opType, inputs, names, domain, attributes);
    }

    /// <summary>Adds a node whose outputs have fixed names (graph outputs); an empty name skips an optional output.</summary>
    public string[] NodeWithOutputs(string opType, IEnumerable<string> inputs, string[] outputs, string domain = "", params AttributeProto[] attributes)
    {
        foreach (string output in outputs)
        {
            if (output.Length > 0)
            {
                Claim(output);
            }
        }

        return AddNode(opType, inputs, outputs, domain, attributes);
    }

    private string[] AddNode(string opType, IEnumerable<string> inputs, string[] outputs, string domain, AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = $"{opType}_{_graph.Node.Count}" };
        if (domain.Length > 0)
        {
            node.Domain = domain;
        }

        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return outputs;
    }

    public static AttributeProto Int(string attributeName, long value) =>
        new() { Name = attributeName, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string attributeName, float value) =>
        new() { Name = attributeName, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto String(string attributeName, string value) =>
        new() { Name = attributeName, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    private string Initializer(string valueName, TensorProto.Types.DataType type, ReadOnlySpan<byte> bytes, long[] dims)
    {
        // raw_data must be little-endian: every platform the plugin ships on (x64, arm64) is.
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("ONNX raw_data is little-endian; this exporter writes the machine's bytes.");
        }

        var tensor = new TensorProto { Name = Claim(valueName), DataType = (int)type, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.AddRange(dims);
        _graph.Initializer.Add(tensor);
        return valueName;
    }

    private string Claim(string valueName)
    {
        if (!_names.Add(valueName))
        {
            throw new InvalidOperationException($"The graph already has a value named '{valueName}'.");
        }

        return valueName;
    }

    private static ValueInfoProto ValueInfo(string valueName, TensorProto.Types.DataType type, object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (object dim in dims)
        {
            shape.Dim.Add(dim switch
            {
                int size => new TensorShapeProto.Types.Dimension { DimValue = size },
                long size => new TensorShapeProto.Types.Dimension { DimValue = size },
                string symbol => new TensorShapeProto.Types.Dimension { DimParam = symbol },
                _ => throw new ArgumentException($"A dimension is an int, a long or a name, not {dim.GetType()}.", nameof(dims)),
            });
        }

        return new ValueInfoProto
        {
            Name = valueName,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }
}
