namespace Switchyard.Local.Gguf;

/// <summary>Parses a GGUF header, metadata and tensor infos, checking every count and offset against the file's length.</summary>
internal static class GgufParser
{
    private const int MaxArrayDepth = 8;

    public static (uint Version, GgufMetadata Metadata, IReadOnlyList<GgufTensorInfo> Tensors, int Alignment, long DataOffset) Parse(
        GgufCursor cursor, string path)
    {
        uint magic = cursor.ReadUInt32("the magic number");
        if (magic != GgufFile.Magic)
        {
            throw cursor.Error(0, $"not a GGUF file: expected the magic bytes 'GGUF' but found 0x{magic:X8}.");
        }

        uint version = cursor.ReadUInt32("the version");
        if (version is not (2 or 3))
        {
            string hint = version == 1
                ? "GGUF version 1 is obsolete; convert the model again with a current llama.cpp."
                : System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(version) is 2 or 3
                    ? "this looks like a big-endian GGUF file, which is not supported."
                    : "supported versions are 2 and 3.";
            throw cursor.Error(4, $"unsupported GGUF version {version}: {hint}");
        }

        // Every tensor info takes at least 8 (name length) + 4 (dims) + 4 (type) + 8 (offset) bytes, every key/value 8 + 4.
        long tensorCount = cursor.ReadCount("the tensor count", 24);
        long kvCount = cursor.ReadCount("the metadata entry count", 12);

        var values = new Dictionary<string, GgufValue>((int)Math.Min(kvCount, 4096), StringComparer.Ordinal);
        for (long i = 0; i < kvCount; i++)
        {
            long at = cursor.Position;
            string key = cursor.ReadString($"the key of metadata entry {i}");
            var type = (GgufValueType)cursor.ReadUInt32($"the type of metadata '{key}'");
            GgufValue value = ReadValue(cursor, type, key, 0);
            if (!values.TryAdd(key, value))
            {
                throw cursor.Error(at, $"metadata key '{key}' appears twice.");
            }
        }

        var metadata = new GgufMetadata(path, values);
        int alignment = GgufFile.DefaultAlignment;
        if (metadata.TryGetValue("general.alignment", out GgufValue? alignValue))
        {
            if (!alignValue.TryGetInt64(out long a) || a <= 0 || a > 1 << 20 || (a & (a - 1)) != 0)
            {
                throw new GgufFormatException(path, -1, $"general.alignment must be a power of two, but is {alignValue}.");
            }

            alignment = (int)a;
        }

        var tensors = new List<GgufTensorInfo>((int)tensorCount);
        for (long i = 0; i < tensorCount; i++)
        {
            tensors.Add(ReadTensorInfo(cursor, i, alignment));
        }

        long dataOffset = AlignUp(cursor.Position, alignment);
        long dataLength = cursor.Length - dataOffset;
        foreach (GgufTensorInfo t in tensors)
        {
            if (t.Offset + t.ByteSize > dataLength)
            {
                throw new GgufFormatException(path, dataOffset + t.Offset,
                    $"tensor '{t.Name}' ({t.Type} {t.Shape}, {t.ByteSize} bytes) extends past the end of the file (length {cursor.Length}); the file is truncated.");
            }
        }

        return (version, metadata, tensors, alignment, dataOffset);
    }

    private static GgufTensorInfo ReadTensorInfo(GgufCursor cursor, long index, int alignment)
    {
        long at = cursor.Position;
        string name = cursor.ReadString($"the name of tensor {index}");
        uint dimCount = cursor.ReadUInt32($"the dimension count of tensor '{name}'");
        if (dimCount is 0 or > 4)
        {
            throw cursor.Error(cursor.Position - 4, $"tensor '{name}' has {dimCount} dimensions; GGUF tensors have 1 to 4.");
        }

        long[] dims = new long[dimCount];
        long elements = 1;
        for (int d = 0; d < dimCount; d++)
        {
            ulong dim = cursor.ReadUInt64($"dimension {d} of tensor '{name}'");
            if (dim == 0 || dim > int.MaxValue || (elements = checked(elements * (long)dim)) > (1L << 40))
            {
                throw cursor.Error(cursor.Position - 8, $"tensor '{name}' has an invalid dimension {d} of {dim}.");
            }

            dims[d] = (long)dim;
        }

        uint rawType = cursor.ReadUInt32($"the type of tensor '{name}'");
        var type = (GgmlType)rawType;
        if (!GgmlTypeInfo.TryGetLayout(type, out int blockElements, out int blockBytes))
        {
            throw cursor.Error(cursor.Position - 4, $"tensor '{name}' has ggml type {rawType}, which this reader does not know.");
        }

        if (dims[0] % blockElements != 0)
        {
            throw cursor.Error(at, $"tensor '{name}' has rows of {dims[0]} elements, not a multiple of the {type} block size {blockElements}.");
        }

        ulong offset = cursor.ReadUInt64($"the data offset of tensor '{name}'");
        if (offset % (ulong)alignment != 0 || offset > (ulong)cursor.Length)
        {
            throw cursor.Error(cursor.Position - 8, $"tensor '{name}' has data offset {offset}, which is not a multiple of the alignment {alignment} or lies past the end of the file.");
        }

        long bytes = elements / blockElements * blockBytes;
        return new GgufTensorInfo(name, dims, type, (long)offset, bytes);
    }

    private static GgufValue ReadValue(GgufCursor cursor, GgufValueType type, string key, int depth)
    {
        string what = $"the value of metadata '{key}'";
        switch (type)
        {
            case GgufValueType.UInt8: return GgufValue.Scalar(type, cursor.ReadUInt8(what));
            case GgufValueType.Int8: return GgufValue.Scalar(type, unchecked((sbyte)cursor.ReadUInt8(what)));
            case GgufValueType.UInt16: return GgufValue.Scalar(type, cursor.ReadUInt16(what));
            case GgufValueType.Int16: return GgufValue.Scalar(type, unchecked((short)cursor.ReadUInt16(what)));
            case GgufValueType.UInt32: return GgufValue.Scalar(type, cursor.ReadUInt32(what));
            case GgufValueType.Int32: return GgufValue.Scalar(type, unchecked((int)cursor.ReadUInt32(what)));
            case GgufValueType.UInt64: return GgufValue.Scalar(type, cursor.ReadUInt64(what));
            case GgufValueType.Int64: return GgufValue.Scalar(type, unchecked((long)cursor.ReadUInt64(what)));
            case GgufValueType.Float32: return GgufValue.Scalar(type, cursor.ReadFloat32(what));
            case GgufValueType.Float64: return GgufValue.Scalar(type, cursor.ReadFloat64(what));
            case GgufValueType.Bool: return GgufValue.Scalar(type, ReadBool(cursor, what));
            case GgufValueType.String: return GgufValue.Scalar(type, cursor.ReadString(what));
            case GgufValueType.Array:
                if (depth >= MaxArrayDepth)
                {
                    throw cursor.Error($"metadata '{key}' nests arrays more than {MaxArrayDepth} deep.");
                }

                var elementType = (GgufValueType)cursor.ReadUInt32($"the element type of metadata array '{key}'");
                long count = cursor.ReadCount($"the length of metadata array '{key}'", MinBytes(elementType, cursor, key));
                return GgufValue.Array(elementType, ReadArray(cursor, elementType, (int)count, key, depth));
            default:
                throw cursor.Error(cursor.Position - 4, $"metadata '{key}' has value type {(uint)type}, which is not a GGUF value type (0-12).");
        }
    }

    private static int MinBytes(GgufValueType t, GgufCursor cursor, string key) => t switch
    {
        GgufValueType.UInt8 or GgufValueType.Int8 or GgufValueType.Bool => 1,
        GgufValueType.UInt16 or GgufValueType.Int16 => 2,
        GgufValueType.UInt32 or GgufValueType.Int32 or GgufValueType.Float32 => 4,
        GgufValueType.UInt64 or GgufValueType.Int64 or GgufValueType.Float64 or GgufValueType.String => 8,
        GgufValueType.Array => 12,
        _ => throw cursor.Error(cursor.Position - 4, $"metadata array '{key}' has element type {(uint)t}, which is not a GGUF value type (0-12)."),
    };

    private static Array ReadArray(GgufCursor cursor, GgufValueType elementType, int count, string key, int depth)
    {
        string what = $"an element of metadata array '{key}'";
        switch (elementType)
        {
            case GgufValueType.UInt8: return Fill(new byte[count], () => cursor.ReadUInt8(what));
            case GgufValueType.Int8: return Fill(new sbyte[count], () => unchecked((sbyte)cursor.ReadUInt8(what)));
            case GgufValueType.UInt16: return Fill(new ushort[count], () => cursor.ReadUInt16(what));
            case GgufValueType.Int16: return Fill(new short[count], () => unchecked((short)cursor.ReadUInt16(what)));
            case GgufValueType.UInt32: return Fill(new uint[count], () => cursor.ReadUInt32(what));
            case GgufValueType.Int32: return Fill(new int[count], () => unchecked((int)cursor.ReadUInt32(what)));
            case GgufValueType.UInt64: return Fill(new ulong[count], () => cursor.ReadUInt64(what));
            case GgufValueType.Int64: return Fill(new long[count], () => unchecked((long)cursor.ReadUInt64(what)));
            case GgufValueType.Float32: return Fill(new float[count], () => cursor.ReadFloat32(what));
            case GgufValueType.Float64: return Fill(new double[count], () => cursor.ReadFloat64(what));
            case GgufValueType.Bool: return Fill(new bool[count], () => ReadBool(cursor, what));
            case GgufValueType.String: return Fill(new string[count], () => cursor.ReadString(what));
            default:
                var nested = new GgufValue[count];
                for (int i = 0; i < count; i++)
                {
                    nested[i] = ReadValue(cursor, GgufValueType.Array, key, depth + 1);
                }

                return nested;
        }
    }

    private static T[] Fill<T>(T[] array, Func<T> read)
    {
        for (int i = 0; i < array.Length; i++)
        {
            array[i] = read();
        }

        return array;
    }

    private static bool ReadBool(GgufCursor cursor, string what)
    {
        byte b = cursor.ReadUInt8(what);
        return b switch
        {
            0 => false,
            1 => true,
            _ => throw cursor.Error(cursor.Position - 1, $"{what} is a bool stored as {b}; expected 0 or 1."),
        };
    }

    internal static long AlignUp(long value, int alignment) => (value + alignment - 1) / alignment * alignment;
}
