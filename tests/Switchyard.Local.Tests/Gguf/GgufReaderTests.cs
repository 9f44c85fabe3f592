using System.Buffers.Binary;
using Switchyard.Local.Gguf;
using Switchyard.Local.Tests.Infrastructure;

namespace Switchyard.Local.Tests.Gguf;

public sealed class GgufReaderTests : IDisposable
{
    private readonly string _dir = TestPaths.NewTempDirectory("gguf");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Reads_the_shipped_stories260K_model()
    {
        using var file = GgufFile.Open(TestPaths.Stories260K);

        Assert.Equal(3u, file.Version);
        Assert.Equal("llama", file.Metadata.GetString("general.architecture"));
        Assert.Equal(5u, file.Metadata.GetUInt32("llama.block_count"));
        Assert.Equal(64u, file.Metadata.GetUInt32("llama.embedding_length"));
        Assert.Equal(8u, file.Metadata.GetUInt32("llama.attention.head_count"));
        Assert.Equal(4u, file.Metadata.GetUInt32("llama.attention.head_count_kv"));
        Assert.Equal(512, file.Metadata.GetStringArray("tokenizer.ggml.tokens").Length);
        Assert.Equal(48, file.Tensors.Count);
        GgufTensorInfo embedding = file.GetTensor("token_embd.weight");
        Assert.Equal(GgmlType.F32, embedding.Type);
        Assert.Equal([64L, 512L], embedding.Dimensions);
        Assert.Equal(64 * 512 * 4, embedding.ByteSize);
        Assert.Equal(0, file.DataOffset % file.Alignment);

        // Tensor data is read in place: the bytes are plausible float weights, not zeros or garbage.
        ReadOnlySpan<byte> bytes = file.GetTensorBytes(embedding);
        float first = BinaryPrimitives.ReadSingleLittleEndian(bytes);
        Assert.True(float.IsFinite(first) && first != 0 && Math.Abs(first) < 10, $"first weight {first}");
    }

    [Fact]
    public void Writer_and_reader_round_trip_every_value_type_arrays_and_tensors()
    {
        string path = Path.Combine(_dir, "all.gguf");
        byte[] tensorA = Enumerable.Range(0, 8 * 3 * 4).Select(i => (byte)i).ToArray();
        byte[] tensorB = Enumerable.Range(0, 34 * 2).Select(i => (byte)(255 - i)).ToArray();
        new GgufWriter { Alignment = 64 }
            .Add("u8", GgufValue.Scalar(GgufValueType.UInt8, (byte)200))
            .Add("i8", GgufValue.Scalar(GgufValueType.Int8, (sbyte)-5))
            .Add("u16", GgufValue.Scalar(GgufValueType.UInt16, (ushort)65000))
            .Add("i16", GgufValue.Scalar(GgufValueType.Int16, (short)-300))
            .Add("u32", 4_000_000_000u)
            .Add("i32", GgufValue.From(-7))
            .Add("f32", 1.5f)
            .Add("flag", true)
            .Add("name", "héllo ✓")
            .Add("u64", GgufValue.From(ulong.MaxValue))
            .Add("i64", GgufValue.Scalar(GgufValueType.Int64, long.MinValue))
            .Add("f64", GgufValue.Scalar(GgufValueType.Float64, Math.PI))
            .Add("strings", ["a", "", "ccc"])
            .Add("floats", [0.5f, -2f])
            .Add("ints", [1, -2, 3])
            .Add("empty", Array.Empty<string>())
            .Add("nested", GgufValue.Array(GgufValueType.Array, new[] { GgufValue.From([1, 2]), GgufValue.From(["x"]) }))
            .AddTensor("a", GgmlType.F32, [8, 3], tensorA)
            .AddTensor("b", GgmlType.Q8_0, [32, 2], tensorB)
            .Write(path);

        using var file = GgufFile.Open(path);
        GgufMetadata m = file.Metadata;
        Assert.Equal(64, file.Alignment);
        Assert.Equal((byte)200, m["u8"].Value);
        Assert.Equal((sbyte)-5, m["i8"].Value);
        Assert.Equal((ushort)65000, m["u16"].Value);
        Assert.Equal((short)-300, m["i16"].Value);
        Assert.Equal(4_000_000_000u, m.GetUInt32("u32"));
        Assert.Equal(-7, m["i32"].Value);
        Assert.Equal(1.5f, m.GetFloat32("f32"));
        Assert.True(m.TryGetBool("flag", out bool flag) && flag);
        Assert.Equal("héllo ✓", m.GetString("name"));
        Assert.Equal(ulong.MaxValue, m["u64"].Value);
        Assert.Equal(long.MinValue, m["i64"].Value);
        Assert.Equal(Math.PI, m["f64"].Value);
        Assert.Equal(["a", "", "ccc"], m.GetStringArray("strings"));
        Assert.Equal([0.5f, -2f], m.GetFloat32Array("floats"));
        Assert.Equal([1, -2, 3], m.GetInt32Array("ints"));
        Assert.Empty(m.GetStringArray("empty"));
        var nested = (GgufValue[])m["nested"].Value;
        Assert.Equal([1, 2], (int[])nested[0].Value);
        Assert.Equal(["x"], (string[])nested[1].Value);

        Assert.Equal(tensorA, file.GetTensorBytes(file.GetTensor("a")).ToArray());
        Assert.Equal(tensorB, file.GetTensorBytes(file.GetTensor("b")).ToArray());
        Assert.Equal(0, file.GetTensor("b").Offset % 64);
        Assert.Equal(2, file.GetTensor("b").RowCount);
    }

    [Fact]
    public void Typed_accessors_name_the_key_when_missing_or_of_another_type()
    {
        using var file = GgufFile.Open(TestPaths.Stories260K);
        var missing = Assert.Throws<GgufFormatException>(() => file.Metadata.GetString("no.such.key"));
        Assert.Contains("'no.such.key' is missing", missing.Message, StringComparison.Ordinal);
        var wrong = Assert.Throws<GgufFormatException>(() => file.Metadata.GetString("llama.block_count"));
        Assert.Contains("'llama.block_count' should be a string", wrong.Message, StringComparison.Ordinal);
        Assert.Contains("stories260K.gguf", wrong.Message, StringComparison.Ordinal);
        Assert.Throws<GgufFormatException>(() => file.GetTensor("blk.99.attn_q.weight"));
    }

    [Fact]
    public void Every_truncation_of_a_file_is_a_clear_format_error_naming_the_file()
    {
        string full = Path.Combine(_dir, "full.gguf");
        new GgufWriter()
            .Add("general.architecture", "llama")
            .Add("tokens", ["a", "bb", "ccc"])
            .Add("scores", [1f, 2f, 3f])
            .AddTensor("w", GgmlType.F32, [4, 2], new byte[32])
            .Write(full);
        byte[] bytes = File.ReadAllBytes(full);
        string cut = Path.Combine(_dir, "cut.gguf");

        for (int length = 0; length < bytes.Length; length++)
        {
            File.WriteAllBytes(cut, bytes.AsSpan(0, length).ToArray());
            var error = Assert.Throws<GgufFormatException>(() => GgufFile.Open(cut).Dispose());
            Assert.Contains(cut, error.Message, StringComparison.Ordinal);
        }
    }

    public static TheoryData<string, int, byte[], string> Corruptions => new()
    {
        { "magic", 0, "GGUX"u8.ToArray(), "not a GGUF file" },
        { "version 1", 4, [1, 0, 0, 0], "version 1 is obsolete" },
        { "version 9", 4, [9, 0, 0, 0], "unsupported GGUF version 9" },
        { "big-endian", 4, [0, 0, 0, 3], "big-endian" },
        { "tensor count", 8, [0, 0, 0, 0, 0, 0, 0, 0x10], "the tensor count" },
        { "kv count", 16, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0], "the metadata entry count" },
        { "value type", 24 + 8 + 20, [42, 0, 0, 0], "value type 42" },
        { "key length", 24, [0xFF, 0xFF, 0xFF, 0x7F, 0, 0, 0, 0], "the length of the key of metadata entry 0" },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void Corrupt_headers_are_reported_with_offset_and_expectation(string what, int offset, byte[] patch, string expected)
    {
        string path = Path.Combine(_dir, "corrupt.gguf");
        new GgufWriter()
            .Add("general.architecture", "llama")
            .AddTensor("w", GgmlType.F32, [4, 2], new byte[32])
            .Write(path);
        byte[] bytes = File.ReadAllBytes(path);
        patch.CopyTo(bytes, offset);
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<GgufFormatException>(() => GgufFile.Open(path).Dispose());
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("at byte", error.Message, StringComparison.Ordinal);
        Assert.True(error.Offset >= 0, what);
    }

    [Fact]
    public void Unknown_tensor_type_and_misaligned_offset_are_reported()
    {
        string path = Path.Combine(_dir, "t.gguf");
        new GgufWriter().AddTensor("w", GgmlType.F32, [4, 2], new byte[32]).Write(path);
        byte[] bytes = File.ReadAllBytes(path);
        // Tensor info: name (8 + 1), dims count (4), 2 dims (16), type (4), offset (8), right after the 24-byte header.
        int typeAt = 24 + 9 + 4 + 16;
        byte[] badType = (byte[])bytes.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(badType.AsSpan(typeAt), 77);
        File.WriteAllBytes(path, badType);
        Assert.Contains("ggml type 77", Assert.Throws<GgufFormatException>(() => GgufFile.Open(path).Dispose()).Message, StringComparison.Ordinal);

        byte[] badOffset = (byte[])bytes.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(badOffset.AsSpan(typeAt + 4), 3);
        File.WriteAllBytes(path, badOffset);
        Assert.Contains("not a multiple of the alignment", Assert.Throws<GgufFormatException>(() => GgufFile.Open(path).Dispose()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_file_and_empty_file_are_clear()
    {
        Assert.Throws<FileNotFoundException>(() => GgufFile.Open(Path.Combine(_dir, "nope.gguf")));
        string empty = Path.Combine(_dir, "empty.gguf");
        File.WriteAllBytes(empty, []);
        Assert.Contains("too short", Assert.Throws<GgufFormatException>(() => GgufFile.Open(empty)).Message, StringComparison.Ordinal);
    }
}
