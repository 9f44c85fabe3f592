using System.Buffers.Binary;
using System.Text;

namespace Switchyard.Local.Gguf;

/// <summary>
/// Writes GGUF version 3 files: metadata in insertion order, then tensor infos, then aligned tensor data.
/// Used to generate test and benchmark models; tensors are written from memory or produced by a callback.
/// </summary>
public sealed class GgufWriter
{
    private readonly List<KeyValuePair<string, GgufValue>> _metadata = [];
    private readonly List<PendingTensor> _tensors = [];

    /// <summary>The alignment of tensor data; written as <c>general.alignment</c> when not the default.</summary>
    public int Alignment { get; init; } = GgufFile.DefaultAlignment;

    /// <summary>Adds a metadata key and value, written in the order added (duplicate keys are not detected); returns this writer.</summary>
    public GgufWriter Add(string key, GgufValue value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        _metadata.Add(new(key, value));
        return this;
    }

    /// <summary>Adds a <see cref="GgufValueType.String"/> metadata value; returns this writer.</summary>
    public GgufWriter Add(string key, string value) => Add(key, GgufValue.From(value));

    /// <summary>Adds a <see cref="GgufValueType.UInt32"/> metadata value; returns this writer.</summary>
    public GgufWriter Add(string key, uint value) => Add(key, GgufValue.From(value));

    /// <summary>Adds a <see cref="GgufValueType.Float32"/> metadata value; returns this writer.</summary>
    public GgufWriter Add(string key, float value) => Add(key, GgufValue.From(value));

    /// <summary>Adds a <see cref="GgufValueType.Bool"/> metadata value; returns this writer.</summary>
    public GgufWriter Add(string key, bool value) => Add(key, GgufValue.From(value));

    /// <summary>Adds a metadata array of <see cref="GgufValueType.String"/>; returns this writer.</summary>
    public GgufWriter Add(string key, string[] values) => Add(key, GgufValue.From(values));

    /// <summary>Adds a metadata array of <see cref="GgufValueType.Float32"/>; returns this writer.</summary>
    public GgufWriter Add(string key, float[] values) => Add(key, GgufValue.From(values));

    /// <summary>Adds a metadata array of <see cref="GgufValueType.Int32"/>; returns this writer.</summary>
    public GgufWriter Add(string key, int[] values) => Add(key, GgufValue.From(values));

    /// <summary>Adds a tensor whose bytes are already encoded in its type; dimensions in ggml order (dimension 0 is the row length).</summary>
    public GgufWriter AddTensor(string name, GgmlType type, long[] dimensions, ReadOnlyMemory<byte> data)
    {
        long size = ByteSize(type, dimensions);
        if (data.Length != size)
        {
            throw new ArgumentException($"Tensor '{name}' needs {size} bytes of {type} data but {data.Length} were given.", nameof(data));
        }

        _tensors.Add(new PendingTensor(name, type, dimensions, size, (stream, _) => stream.Write(data.Span)));
        return this;
    }

    /// <summary>
    /// Adds a tensor whose bytes are produced row by row when the file is written (for tensors too big to hold):
    /// <c>writeRow</c> fills the span with the encoded bytes of the given row.
    /// </summary>
    public GgufWriter AddTensor(string name, GgmlType type, long[] dimensions, Action<long, Span<byte>> writeRow)
    {
        ArgumentNullException.ThrowIfNull(writeRow);
        long size = ByteSize(type, dimensions);
        long rowBytes = GgmlTypeInfo.RowBytes(type, dimensions[0]);
        long rows = size / rowBytes;
        _tensors.Add(new PendingTensor(name, type, dimensions, size, (stream, buffer) =>
        {
            Span<byte> row = buffer.AsSpan(0, (int)rowBytes);
            for (long r = 0; r < rows; r++)
            {
                writeRow(r, row);
                stream.Write(row);
            }
        }));
        return this;
    }

    /// <summary>Writes the file to <paramref name="path"/>, replacing any file there.</summary>
    public void Write(string path)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        Write(stream);
    }

    /// <summary>
    /// Writes the file to <paramref name="stream"/> from its current position (header, metadata, tensor infos, then each
    /// tensor's data aligned to <see cref="Alignment"/>) and flushes it; the stream is left open.
    /// </summary>
    public void Write(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        bool writeAlignment = Alignment != GgufFile.DefaultAlignment && !_metadata.Exists(kv => kv.Key == "general.alignment");
        var header = new MemoryStream();
        WriteUInt32(header, GgufFile.Magic);
        WriteUInt32(header, 3);
        WriteUInt64(header, (ulong)_tensors.Count);
        WriteUInt64(header, (ulong)(_metadata.Count + (writeAlignment ? 1 : 0)));
        if (writeAlignment)
        {
            WriteString(header, "general.alignment");
            WriteValue(header, GgufValue.From((uint)Alignment));
        }

        foreach (KeyValuePair<string, GgufValue> kv in _metadata)
        {
            WriteString(header, kv.Key);
            WriteValue(header, kv.Value);
        }

        long offset = 0;
        var offsets = new long[_tensors.Count];
        for (int i = 0; i < _tensors.Count; i++)
        {
            PendingTensor t = _tensors[i];
            WriteString(header, t.Name);
            WriteUInt32(header, (uint)t.Dimensions.Length);
            foreach (long d in t.Dimensions)
            {
                WriteUInt64(header, (ulong)d);
            }

            WriteUInt32(header, (uint)t.Type);
            WriteUInt64(header, (ulong)offset);
            offsets[i] = offset;
            offset = GgufParser.AlignUp(offset + t.ByteSize, Alignment);
        }

        header.Write(new byte[GgufParser.AlignUp(header.Length, Alignment) - header.Length]);
        header.Position = 0;
        header.CopyTo(stream);

        long maxRow = 0;
        foreach (PendingTensor t in _tensors)
        {
            maxRow = Math.Max(maxRow, GgmlTypeInfo.RowBytes(t.Type, t.Dimensions[0]));
        }

        byte[] rowBuffer = new byte[maxRow];
        long written = 0;
        for (int i = 0; i < _tensors.Count; i++)
        {
            stream.Write(new byte[offsets[i] - written]);
            _tensors[i].Write(stream, rowBuffer);
            written = offsets[i] + _tensors[i].ByteSize;
        }

        stream.Write(new byte[GgufParser.AlignUp(written, Alignment) - written]);
        stream.Flush();
    }

    private static long ByteSize(GgmlType type, long[] dimensions)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        if (dimensions.Length is 0 or > 4)
        {
            throw new ArgumentException("A tensor has 1 to 4 dimensions.", nameof(dimensions));
        }

        long rows = 1;
        for (int i = 1; i < dimensions.Length; i++)
        {
            rows *= dimensions[i];
        }

        return GgmlTypeInfo.RowBytes(type, dimensions[0]) * rows;
    }

    private static void WriteValue(Stream s, GgufValue value)
    {
        WriteUInt32(s, (uint)value.Type);
        WritePayload(s, value);
    }

    private static void WritePayload(Stream s, GgufValue value)
    {
        switch (value.Value)
        {
            case byte b: s.WriteByte(b); break;
            case sbyte sb: s.WriteByte(unchecked((byte)sb)); break;
            case ushort us: WriteUInt16(s, us); break;
            case short sh: WriteUInt16(s, unchecked((ushort)sh)); break;
            case uint u: WriteUInt32(s, u); break;
            case int i: WriteUInt32(s, unchecked((uint)i)); break;
            case ulong ul: WriteUInt64(s, ul); break;
            case long l: WriteUInt64(s, unchecked((ulong)l)); break;
            case float f: WriteUInt32(s, BitConverter.SingleToUInt32Bits(f)); break;
            case double d: WriteUInt64(s, BitConverter.DoubleToUInt64Bits(d)); break;
            case bool flag: s.WriteByte(flag ? (byte)1 : (byte)0); break;
            case string str: WriteString(s, str); break;
            case Array array:
                WriteUInt32(s, (uint)value.ElementType);
                WriteUInt64(s, (ulong)array.Length);
                foreach (object? element in array)
                {
                    if (element is GgufValue nested)
                    {
                        WritePayload(s, nested);
                    }
                    else
                    {
                        WritePayload(s, GgufValue.Scalar(value.ElementType, element!));
                    }
                }

                break;
            default:
                throw new ArgumentException($"Cannot write a metadata value of .NET type {value.Value.GetType()}.", nameof(value));
        }
    }

    private static void WriteString(Stream s, string value)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        WriteUInt64(s, (ulong)bytes.Length);
        s.Write(bytes);
    }

    private static void WriteUInt16(Stream s, ushort v)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(b, v);
        s.Write(b);
    }

    private static void WriteUInt32(Stream s, uint v)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        s.Write(b);
    }

    private static void WriteUInt64(Stream s, ulong v)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, v);
        s.Write(b);
    }

    private sealed record PendingTensor(string Name, GgmlType Type, long[] Dimensions, long ByteSize, Action<Stream, byte[]> Write);
}
