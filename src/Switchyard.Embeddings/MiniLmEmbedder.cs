using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Switchyard.Embeddings.Tokenization;

namespace Switchyard.Embeddings;

/// <summary>
/// Sentence embeddings from all-MiniLM-L6-v2, in process and offline: BERT WordPiece tokenization
/// (<see cref="BertWordPieceTokenizer"/>), the ONNX model on ONNX Runtime's CPU provider, mean pooling of the last
/// hidden state over the attention mask, L2 normalisation — what sentence-transformers' <c>encode</c> returns for this
/// model. 384 dimensions.
/// </summary>
/// <remarks>
/// Thread-safe: any number of threads may call <see cref="Embed(string)"/> and
/// <see cref="Embed(IReadOnlyList{string})"/> at once (ONNX Runtime's <c>Run</c> is thread-safe and the tokenizer is
/// immutable); <see cref="Dispose"/> must not overlap them. Construction loads and optimises the 91 MB model
/// (~0.7 s): create one instance and share it.
/// </remarks>
public sealed class MiniLmEmbedder : ITextEmbedder, IDisposable
{
    /// <summary>The max_seq_length all-MiniLM-L6-v2 was trained with.</summary>
    public const int DefaultMaxTokens = 256;

    /// <summary>The longest input the model accepts (its position embeddings).</summary>
    public const int ModelMaxTokens = 512;

    /// <summary>File name of the ONNX model in <see cref="MiniLmEmbedderOptions.ModelDirectory"/>.</summary>
    public const string ModelFileName = "model.onnx";

    /// <summary>File name of the WordPiece vocabulary in <see cref="MiniLmEmbedderOptions.ModelDirectory"/>.</summary>
    public const string VocabularyFileName = "vocab.txt";

    private const string InputIds = "input_ids";
    private const string AttentionMask = "attention_mask";
    private const string TokenTypeIds = "token_type_ids";

    private readonly SessionOptions _sessionOptions;
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly bool _hasTokenTypes;
    private readonly int _maxBatchSize;
    private volatile bool _disposed;

    /// <summary>Loads the model from <see cref="DefaultModelDirectory"/> with the default options.</summary>
    /// <exception cref="FileNotFoundException">model.onnx or vocab.txt is missing.</exception>
    /// <exception cref="InvalidOperationException">ONNX Runtime's native library cannot be loaded.</exception>
    /// <exception cref="InvalidDataException">The model is not a BERT sentence encoder.</exception>
    public MiniLmEmbedder()
        : this(new MiniLmEmbedderOptions())
    {
    }

    /// <summary>Loads the model with the given options.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="FileNotFoundException">model.onnx or vocab.txt is missing.</exception>
    /// <exception cref="InvalidOperationException">ONNX Runtime's native library cannot be loaded.</exception>
    /// <exception cref="InvalidDataException">The model is not a BERT sentence encoder.</exception>
    public MiniLmEmbedder(MiniLmEmbedderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxTokens, 2, nameof(options.MaxTokens));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.MaxTokens, ModelMaxTokens, nameof(options.MaxTokens));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.IntraOpThreads, 1, nameof(options.IntraOpThreads));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBatchSize, 1, nameof(options.MaxBatchSize));

        ModelDirectory = Path.GetFullPath(options.ModelDirectory ?? DefaultModelDirectory);
        string modelPath = Path.Combine(ModelDirectory, ModelFileName);
        string vocabularyPath = Path.Combine(ModelDirectory, VocabularyFileName);
        foreach (string path in (ReadOnlySpan<string>)[modelPath, vocabularyPath])
        {
            if (!File.Exists(path))
            {
                throw new FileNotFoundException(
                    $"all-MiniLM-L6-v2 file not found: {path}. Building Switchyard.Embeddings puts model.onnx and vocab.txt under " +
                    "models/all-MiniLM-L6-v2/ in the output of every project that references it; otherwise set " +
                    "MiniLmEmbedderOptions.ModelDirectory to a folder that has both.",
                    path);
            }
        }

        Tokenizer = BertWordPieceTokenizer.FromVocabularyFile(vocabularyPath);
        MaxTokens = options.MaxTokens;
        IntraOpThreads = options.IntraOpThreads;
        _maxBatchSize = options.MaxBatchSize;

        try
        {
            _sessionOptions = new SessionOptions
            {
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
                ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
                IntraOpNumThreads = options.IntraOpThreads,
                InterOpNumThreads = 1,
            };
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException or BadImageFormatException)
        {
            throw new InvalidOperationException(
                "ONNX Runtime's native library (libonnxruntime) could not be loaded. The build of Switchyard.Embeddings copies it " +
                "to the output root for one runtime identifier (MSBuild property SwitchyardOnnxRuntimeRid, default: the build " +
                $"machine's); this process runs as {System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier}.",
                e);
        }

        try
        {
            // Worker threads (IntraOpThreads > 1) block instead of spinning between inferences: the gateway's cores
            // serve requests too.
            _sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
            try
            {
                _session = new InferenceSession(modelPath, _sessionOptions);
            }
            catch (OnnxRuntimeException e)
            {
                throw new InvalidDataException($"{modelPath} could not be loaded as an ONNX model: {e.Message}", e);
            }

            try
            {
                var inputs = _session.InputMetadata;
                if (!inputs.ContainsKey(InputIds) || !inputs.ContainsKey(AttentionMask))
                {
                    throw new InvalidDataException(
                        $"{modelPath} is not a BERT encoder: its inputs are [{string.Join(", ", inputs.Keys)}], expected {InputIds} and {AttentionMask}.");
                }

                _hasTokenTypes = inputs.ContainsKey(TokenTypeIds);
                _inputNames = _hasTokenTypes ? [InputIds, AttentionMask, TokenTypeIds] : [InputIds, AttentionMask];

                // The first output is the last hidden state [batch, sequence, hidden]; a second one (the pooler, tanh of
                // a dense layer over [CLS]) is not the sentence embedding and is not requested.
                var (outputName, output) = _session.OutputMetadata.First();
                if (output.ElementDataType != TensorElementType.Float || output.Dimensions.Length != 3 || output.Dimensions[2] <= 0)
                {
                    throw new InvalidDataException(
                        $"{modelPath}: the first output '{outputName}' is not a float [batch, sequence, hidden] tensor " +
                        $"(it is {output.ElementDataType} [{string.Join(", ", output.Dimensions)}]).");
                }

                _outputNames = [outputName];
                Dimensions = output.Dimensions[2];
                _runOptions = new RunOptions();
            }
            catch
            {
                _session.Dispose();
                throw;
            }
        }
        catch
        {
            _sessionOptions.Dispose();
            throw;
        }
    }

    /// <summary>Where the build puts the model: <c>models/all-MiniLM-L6-v2</c> under the application's base directory.</summary>
    public static string DefaultModelDirectory => Path.Combine(AppContext.BaseDirectory, "models", "all-MiniLM-L6-v2");

    /// <summary>The folder the model and vocabulary were loaded from (full path).</summary>
    public string ModelDirectory { get; }

    /// <summary>Embedding length: 384 for all-MiniLM-L6-v2 (read from the model).</summary>
    public int Dimensions { get; }

    /// <summary>Most tokens embedded per text, <c>[CLS]</c> and <c>[SEP]</c> included; the rest of a text is ignored.</summary>
    public int MaxTokens { get; }

    /// <summary>ONNX Runtime's intra-op thread count for one inference.</summary>
    public int IntraOpThreads { get; }

    /// <summary>The tokenizer (exposed to count tokens, e.g. to tell whether a text will be truncated).</summary>
    public BertWordPieceTokenizer Tokenizer { get; }

    /// <inheritdoc />
    /// <exception cref="ObjectDisposedException">The embedder is disposed.</exception>
    public float[] Embed(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        ObjectDisposedException.ThrowIf(_disposed, this);
        int[][] encoded = [Tokenizer.Encode(text, MaxTokens)];
        var results = new float[1][];
        Infer(encoded, results, 0);
        return results[0];
    }

    /// <inheritdoc />
    /// <exception cref="ObjectDisposedException">The embedder is disposed.</exception>
    public IReadOnlyList<float[]> Embed(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var results = new float[texts.Count][];
        for (int start = 0; start < texts.Count; start += _maxBatchSize)
        {
            var encoded = new int[Math.Min(_maxBatchSize, texts.Count - start)][];
            for (int i = 0; i < encoded.Length; i++)
            {
                string text = texts[start + i] ?? throw new ArgumentNullException(nameof(texts), $"texts[{start + i}] is null.");
                encoded[i] = Tokenizer.Encode(text, MaxTokens);
            }

            Infer(encoded, results, start);
        }

        return results;
    }

    /// <summary>Releases the ONNX Runtime session. Must not overlap a call to Embed.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _runOptions.Dispose();
        _session.Dispose();
        _sessionOptions.Dispose();
    }

    /// <summary>Runs one padded batch and writes the pooled, normalised embeddings to results[offset..].</summary>
    private void Infer(int[][] encoded, float[][] results, int offset)
    {
        int batch = encoded.Length;
        int sequence = 0;
        foreach (var ids in encoded)
        {
            sequence = Math.Max(sequence, ids.Length);
        }

        var inputIds = new long[batch * sequence];
        var mask = new long[batch * sequence];
        for (int b = 0; b < batch; b++)
        {
            var ids = encoded[b];
            int row = b * sequence;
            for (int t = 0; t < ids.Length; t++)
            {
                inputIds[row + t] = ids[t];
                mask[row + t] = 1;
            }

            // The rest of the row stays 0: [PAD] with attention mask 0.
        }

        long[] shape = [batch, sequence];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(inputIds, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var typesValue = _hasTokenTypes ? OrtValue.CreateTensorValueFromMemory(new long[batch * sequence], shape) : null;
        OrtValue[] inputs = _hasTokenTypes ? [idsValue, maskValue, typesValue!] : [idsValue, maskValue];

        using var outputs = _session.Run(_runOptions, _inputNames, inputs, _outputNames);
        var hidden = outputs[0].GetTensorDataAsSpan<float>();
        int dimensions = Dimensions;
        if (hidden.Length != batch * sequence * dimensions)
        {
            throw new InvalidDataException(
                $"The model returned {hidden.Length} values for a [{batch}, {sequence}] input; expected {batch * sequence * dimensions}.");
        }

        for (int b = 0; b < batch; b++)
        {
            // Mean over the tokens the attention mask keeps (the first encoded[b].Length of the row), then L2 norm —
            // sentence-transformers' Pooling(mean) and Normalize modules.
            var embedding = new float[dimensions];
            int tokens = encoded[b].Length;
            var rows = hidden.Slice(b * sequence * dimensions, tokens * dimensions);
            for (int t = 0; t < tokens; t++)
            {
                TensorPrimitives.Add(embedding, rows.Slice(t * dimensions, dimensions), embedding);
            }

            TensorPrimitives.Divide(embedding, (float)tokens, embedding);
            float norm = TensorPrimitives.Norm<float>(embedding);
            TensorPrimitives.Divide(embedding, MathF.Max(norm, 1e-12f), embedding);
            results[offset + b] = embedding;
        }
    }
}
