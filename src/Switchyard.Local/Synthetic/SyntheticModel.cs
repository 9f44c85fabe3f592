using System.Runtime.InteropServices;
using System.Text;
using Switchyard.Local.Gguf;
using Switchyard.Local.Kernels;
using Switchyard.Local.Tokenization;

namespace Switchyard.Local.Synthetic;

/// <summary>
/// Writes synthetic GGUF models: the tensor layout, metadata and tokenizer of a real llama.cpp architecture ("llama"
/// or "qwen2") filled with seeded random weights. llama.cpp loads and runs them; their output is meaningless but fully
/// determined by the spec, so they stand in for downloaded models in tests and benchmarks.
/// </summary>
/// <remarks>
/// <para>
/// Weights are uniform in ±<see cref="SyntheticModelSpec.WeightScale"/>/sqrt(row length), norm weights in 1 ± 0.1 and
/// qwen2's Q/K/V biases in ±0.1. Every row has its own random stream, seeded from the spec's seed, the tensor's name and
/// the row index (SplitMix64 into xorshift64*), so the same spec always gives a byte-identical file, a tensor's values
/// do not depend on which other tensors the file has, and rows can be generated in parallel. Rows are generated and
/// encoded a batch at a time while the file is written, so memory stays small whatever the model's size.
/// </para>
/// <para>
/// The tokenizer is SentencePiece-style ("llama") for both architectures: &lt;unk&gt; = 0, &lt;s&gt; = 1 (BOS),
/// &lt;/s&gt; = 2 (EOS), the 256 byte tokens &lt;0x00&gt;..&lt;0xFF&gt; at 3..258, then word pieces: "▁", "▁a".."▁z",
/// "a".."z", "▁aa".."▁zz", "aa".."zz", ... up to the vocabulary size. llama.cpp picks the tokenizer from
/// <c>tokenizer.ggml.model</c> alone, whatever the architecture, so a qwen2 model with this vocabulary loads too.
/// </para>
/// </remarks>
public static class SyntheticModel
{
    /// <summary>The id of the first word piece, after &lt;unk&gt;, &lt;s&gt;, &lt;/s&gt; and the 256 byte tokens.</summary>
    public const int FirstWordPieceId = 3 + 256;

    private const char SpaceMark = '\u2581';

    /// <summary>Roughly how many encoded bytes one parallel batch of rows produces.</summary>
    private const int BatchBytes = 1 << 20;

    /// <summary>Writes the model described by <paramref name="spec"/> to <paramref name="path"/> (overwriting it).</summary>
    /// <exception cref="ArgumentException">The spec is invalid (see <see cref="SyntheticModelSpec.Validate"/>).</exception>
    public static void Write(string path, SyntheticModelSpec spec)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        CreateWriter(spec).Write(path);
    }

    /// <summary>Writes the model described by <paramref name="spec"/> to <paramref name="stream"/>.</summary>
    /// <exception cref="ArgumentException">The spec is invalid (see <see cref="SyntheticModelSpec.Validate"/>).</exception>
    public static void Write(Stream stream, SyntheticModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(stream);
        CreateWriter(spec).Write(stream);
    }

    /// <summary>The vocabulary of a synthetic model of <paramref name="size"/> tokens (see the remarks on the class).</summary>
    public static string[] VocabularyTokens(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, SyntheticModelSpec.MinimumVocabularySize);
        var tokens = new string[size];
        tokens[0] = "<unk>";
        tokens[1] = "<s>";
        tokens[2] = "</s>";
        for (int b = 0; b < 256; b++)
        {
            tokens[3 + b] = $"<0x{b:X2}>";
        }

        int id = FirstWordPieceId;
        tokens[id++] = SpaceMark.ToString();
        var word = new StringBuilder();
        for (int length = 1; id < size; length++)
        {
            foreach (bool spaced in (bool[])[true, false])
            {
                // All words of `length` lowercase letters in order, as base-26 counters.
                var digits = new int[length];
                while (id < size)
                {
                    word.Clear();
                    if (spaced)
                    {
                        word.Append(SpaceMark);
                    }

                    foreach (int d in digits)
                    {
                        word.Append((char)('a' + d));
                    }

                    tokens[id++] = word.ToString();
                    int i = length - 1;
                    while (i >= 0 && ++digits[i] == 26)
                    {
                        digits[i--] = 0;
                    }

                    if (i < 0)
                    {
                        break;
                    }
                }
            }
        }

        return tokens;
    }

    private static GgufWriter CreateWriter(SyntheticModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Synthetic models are written on little-endian machines only.");
        }

        string arch = spec.Architecture;
        var writer = new GgufWriter()
            .Add("general.architecture", arch)
            .Add("general.name", spec.Name)
            .Add("general.file_type", FileType(spec.WeightType))
            .Add("general.quantization_version", 2u)
            .Add($"{arch}.vocab_size", (uint)spec.VocabularySize)
            .Add($"{arch}.context_length", (uint)spec.ContextLength)
            .Add($"{arch}.embedding_length", (uint)spec.EmbeddingLength)
            .Add($"{arch}.block_count", (uint)spec.BlockCount)
            .Add($"{arch}.feed_forward_length", (uint)spec.FeedForwardLength)
            .Add($"{arch}.attention.head_count", (uint)spec.HeadCount)
            .Add($"{arch}.attention.head_count_kv", (uint)spec.HeadCountKv)
            .Add($"{arch}.attention.layer_norm_rms_epsilon", spec.RmsEpsilon)
            .Add($"{arch}.rope.freq_base", spec.RopeFrequencyBase)
            .Add($"{arch}.rope.dimension_count", (uint)spec.HeadDimension);
        AddTokenizer(writer, spec.VocabularySize);

        long emb = spec.EmbeddingLength;
        long q = (long)spec.HeadCount * spec.HeadDimension;
        long kv = (long)spec.HeadCountKv * spec.HeadDimension;
        long ff = spec.FeedForwardLength;
        long vocab = spec.VocabularySize;

        AddMatrix(writer, spec, "token_embd.weight", spec.EmbeddingType, emb, vocab);
        AddVector(writer, spec, "output_norm.weight", emb, RowKind.Norm);
        if (!spec.TiedOutput)
        {
            AddMatrix(writer, spec, "output.weight", spec.EmbeddingType, emb, vocab);
        }

        for (int i = 0; i < spec.BlockCount; i++)
        {
            string blk = $"blk.{i}.";
            AddVector(writer, spec, blk + "attn_norm.weight", emb, RowKind.Norm);
            AddMatrix(writer, spec, blk + "attn_q.weight", spec.WeightType, emb, q);
            AddMatrix(writer, spec, blk + "attn_k.weight", spec.WeightType, emb, kv);
            AddMatrix(writer, spec, blk + "attn_v.weight", spec.WeightType, emb, kv);
            if (arch == "qwen2")
            {
                AddVector(writer, spec, blk + "attn_q.bias", q, RowKind.Bias);
                AddVector(writer, spec, blk + "attn_k.bias", kv, RowKind.Bias);
                AddVector(writer, spec, blk + "attn_v.bias", kv, RowKind.Bias);
            }

            AddMatrix(writer, spec, blk + "attn_output.weight", spec.WeightType, q, emb);
            AddVector(writer, spec, blk + "ffn_norm.weight", emb, RowKind.Norm);
            AddMatrix(writer, spec, blk + "ffn_gate.weight", spec.WeightType, emb, ff);
            AddMatrix(writer, spec, blk + "ffn_up.weight", spec.WeightType, emb, ff);
            AddMatrix(writer, spec, blk + "ffn_down.weight", spec.WeightType, ff, emb);
        }

        return writer;
    }

    private static void AddTokenizer(GgufWriter writer, int size)
    {
        string[] tokens = VocabularyTokens(size);
        var scores = new float[size];
        var types = new int[size];
        types[0] = GgufTokenType.Unknown;
        types[1] = GgufTokenType.Control;
        types[2] = GgufTokenType.Control;
        for (int id = 3; id < size; id++)
        {
            types[id] = id < FirstWordPieceId ? GgufTokenType.Byte : GgufTokenType.Normal;

            // As in SentencePiece vocabularies: earlier (shorter) pieces score higher.
            scores[id] = id < FirstWordPieceId ? 0f : -(id - FirstWordPieceId);
        }

        writer
            .Add("tokenizer.ggml.model", "llama")
            .Add("tokenizer.ggml.tokens", tokens)
            .Add("tokenizer.ggml.scores", scores)
            .Add("tokenizer.ggml.token_type", types)
            .Add("tokenizer.ggml.bos_token_id", 1u)
            .Add("tokenizer.ggml.eos_token_id", 2u)
            .Add("tokenizer.ggml.unknown_token_id", 0u)
            .Add("tokenizer.ggml.add_bos_token", true)
            .Add("tokenizer.ggml.add_eos_token", false);
    }

    /// <summary>llama.cpp's llama_ftype for a model whose block matrices are of <paramref name="type"/>.</summary>
    private static uint FileType(GgmlType type) => type switch
    {
        GgmlType.F32 => 0,   // ALL_F32
        GgmlType.F16 => 1,   // MOSTLY_F16
        GgmlType.Q4_0 => 2,  // MOSTLY_Q4_0
        GgmlType.Q8_0 => 7,  // MOSTLY_Q8_0
        GgmlType.Q4_K => 14, // MOSTLY_Q4_K_S
        GgmlType.Q6_K => 18, // MOSTLY_Q6_K
        GgmlType.BF16 => 32, // MOSTLY_BF16
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "No llama_ftype for this weight type."),
    };

    private static void AddMatrix(GgufWriter writer, SyntheticModelSpec spec, string name, GgmlType type, long rowLength, long rows)
    {
        var source = new RowSource(name, type, (int)rowLength, rows, RowKind.Weight, spec.Seed, spec.WeightScale / MathF.Sqrt(rowLength));
        writer.AddTensor(name, type, [rowLength, rows], source.WriteRow);
    }

    private static void AddVector(GgufWriter writer, SyntheticModelSpec spec, string name, long length, RowKind kind)
    {
        var source = new RowSource(name, GgmlType.F32, (int)length, 1, kind, spec.Seed, 0.1f);
        writer.AddTensor(name, GgmlType.F32, [length], source.WriteRow);
    }

    private enum RowKind
    {
        /// <summary>Uniform in ±scale.</summary>
        Weight,

        /// <summary>Uniform in 1 ± scale.</summary>
        Norm,

        /// <summary>Uniform in ±scale.</summary>
        Bias,
    }

    /// <summary>
    /// Produces one tensor's encoded rows in order for <see cref="GgufWriter"/>, generating and encoding a batch of
    /// rows in parallel whenever the next row asked for is not in the current batch.
    /// </summary>
    private sealed class RowSource
    {
        private readonly GgmlType _type;
        private readonly int _rowLength;
        private readonly long _rows;
        private readonly RowKind _kind;
        private readonly float _scale;
        private readonly ulong _tensorSeed;
        private readonly int _rowBytes;
        private readonly int _batchRows;
        private byte[]? _batch;
        private long _batchStart = -1;
        private int _batchCount;

        public RowSource(string name, GgmlType type, int rowLength, long rows, RowKind kind, ulong seed, float scale)
        {
            _type = type;
            _rowLength = rowLength;
            _rows = rows;
            _kind = kind;
            _scale = scale;
            _tensorSeed = Xorshift.Mix(seed ^ Xorshift.Mix(Fnv1a(name)));
            _rowBytes = checked((int)GgmlTypeInfo.RowBytes(type, rowLength));
            _batchRows = (int)Math.Clamp(BatchBytes / _rowBytes, 1, rows);
        }

        public void WriteRow(long row, Span<byte> destination)
        {
            if (row < _batchStart || row >= _batchStart + _batchCount)
            {
                FillBatch(row);
            }

            _batch.AsSpan((int)(row - _batchStart) * _rowBytes, _rowBytes).CopyTo(destination);
            if (row == _rows - 1)
            {
                _batch = null; // the writer is done with this tensor
                _batchStart = -1;
                _batchCount = 0;
            }
        }

        private void FillBatch(long start)
        {
            int count = (int)Math.Min(_batchRows, _rows - start);
            _batch ??= new byte[_batchRows * _rowBytes];
            byte[] batch = _batch;
            if (count == 1)
            {
                EncodeRow(start, new float[_rowLength], batch.AsSpan(0, _rowBytes));
            }
            else
            {
                Parallel.For(
                    0,
                    count,
                    () => new float[_rowLength],
                    (i, _, scratch) =>
                    {
                        EncodeRow(start + i, scratch, batch.AsSpan(i * _rowBytes, _rowBytes));
                        return scratch;
                    },
                    _ => { });
            }

            _batchStart = start;
            _batchCount = count;
        }

        private void EncodeRow(long row, float[] scratch, Span<byte> destination)
        {
            var random = new Xorshift(Xorshift.Mix(_tensorSeed + (ulong)row * 0x9E3779B97F4A7C15UL));
            random.Fill(scratch, _scale, _kind == RowKind.Norm ? 1f : 0f);
            if (_type == GgmlType.F32)
            {
                MemoryMarshal.AsBytes(scratch.AsSpan()).CopyTo(destination);
            }
            else
            {
                Quantize.Row(_type, scratch, destination);
            }
        }

        private static ulong Fnv1a(string text)
        {
            ulong hash = 0xCBF29CE484222325UL;
            foreach (char c in text)
            {
                hash = (hash ^ c) * 0x100000001B3UL;
            }

            return hash;
        }
    }

    /// <summary>xorshift64* seeded through SplitMix64; each 64-bit output gives two 24-bit uniform floats.</summary>
    private struct Xorshift
    {
        private const float Unit = 1f / (1 << 23); // a 24-bit integer times this is in [0, 2)

        private ulong _state;

        public Xorshift(ulong seed)
        {
            _state = Mix(seed);
            if (_state == 0)
            {
                _state = 0x9E3779B97F4A7C15UL;
            }
        }

        /// <summary>SplitMix64's output function.</summary>
        public static ulong Mix(ulong z)
        {
            z += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        /// <summary>Fills <paramref name="values"/> with uniform values in <paramref name="center"/> ± <paramref name="scale"/>.</summary>
        public void Fill(Span<float> values, float scale, float center)
        {
            ulong x = _state;
            float step = scale * Unit;
            float low = center - scale;
            int i = 0;
            for (; i + 1 < values.Length; i += 2)
            {
                x ^= x >> 12;
                x ^= x << 25;
                x ^= x >> 27;
                ulong r = x * 0x2545F4914F6CDD1DUL;
                values[i] = low + (int)(r >> 40) * step;
                values[i + 1] = low + (int)((r >> 16) & 0xFFFFFF) * step;
            }

            if (i < values.Length)
            {
                x ^= x >> 12;
                x ^= x << 25;
                x ^= x >> 27;
                values[i] = low + (int)((x * 0x2545F4914F6CDD1DUL) >> 40) * step;
            }

            _state = x;
        }
    }
}
