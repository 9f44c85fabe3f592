using System.Security.Cryptography;
using Switchyard.Local.Gguf;
using Switchyard.Local.Templates;
using Switchyard.Local.Tokenization;

namespace Switchyard.Local.Models;

/// <summary>
/// A llama-family model loaded from a GGUF file: the file stays memory-mapped and the weights are read in place.
/// Thread-safe; each conversation runs in its own <see cref="InferenceSession"/>.
/// </summary>
public sealed class TransformerModel : IDisposable
{
    private readonly GgufFile _file;
    private readonly TransformerWeights _weights;
    private readonly Rope _rope;
    private readonly Lazy<Task<string>> _sha256;
    private bool _disposed;

    private TransformerModel(GgufFile file, ModelHyperparameters hp, TransformerWeights weights, GgufTokenizer tokenizer, ChatTemplate? template, string? templateError)
    {
        _file = file;
        Hyperparameters = hp;
        _weights = weights;
        Tokenizer = tokenizer;
        ChatTemplate = template;
        ChatTemplateError = templateError;
        _rope = new Rope(hp, weights.RopeFactors);
        // Some converters write the architecture as the name (llama2.c's writes "llama"); the file name says more then.
        Name = file.Metadata.TryGetString("general.name", out string? name) && !string.IsNullOrWhiteSpace(name)
            && !string.Equals(name, hp.Architecture, StringComparison.OrdinalIgnoreCase)
            ? name
            : System.IO.Path.GetFileNameWithoutExtension(file.Path);
        _sha256 = new Lazy<Task<string>>(() => Task.Run(ComputeSha256), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The GGUF file's full path.</summary>
    public string Path => _file.Path;

    /// <summary><c>general.name</c>, or the file name without extension when that is missing or just the architecture.</summary>
    public string Name { get; }

    /// <summary>The model's shape (architecture, trained context, widths, heads, RoPE) read from the file's metadata.</summary>
    public ModelHyperparameters Hyperparameters { get; }

    /// <summary>The tokenizer built from the file's vocabulary.</summary>
    public GgufTokenizer Tokenizer { get; }

    /// <summary>The file's chat template (<c>tokenizer.chat_template</c>), or null for base models without one.</summary>
    public ChatTemplate? ChatTemplate { get; }

    /// <summary>Why the file's chat template could not be used (then prompts are formatted as plain text), or null.</summary>
    public string? ChatTemplateError { get; }

    /// <summary>Bytes of weights read per generated token: the bound on decode speed is memory bandwidth / this.</summary>
    public long WeightBytesPerToken => _weights.BytesPerToken;

    /// <summary>Opens and checks <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="GgufFormatException">The file is not a GGUF model the engine can run; the message says why.</exception>
    public static TransformerModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        GgufFile file = GgufFile.Open(path);
        try
        {
            GgufTokenizer tokenizer;
            try
            {
                tokenizer = GgufTokenizer.FromMetadata(file.Metadata);
            }
            catch (Exception ex) when (ex is InvalidDataException or KeyNotFoundException or NotSupportedException or ArgumentException)
            {
                throw new GgufFormatException(file.Path, $"the tokenizer cannot be built: {ex.Message}");
            }

            var hp = ModelHyperparameters.FromMetadata(file.Metadata, tokenizer.VocabularySize);
            var weights = TransformerWeights.Bind(file, hp);
            ChatTemplate? template = null;
            string? templateError = null;
            if (file.Metadata.TryGetString("tokenizer.chat_template", out string? source) && !string.IsNullOrWhiteSpace(source))
            {
                try
                {
                    template = ChatTemplate.Parse(source);
                }
                catch (ChatTemplateException ex)
                {
                    templateError = ex.Message;
                }
            }

            return new TransformerModel(file, hp, weights, tokenizer, template, templateError);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A new session with room for <paramref name="contextLength"/> positions (capped at the model's trained context)
    /// that evaluates prompts <paramref name="batchSize"/> tokens at a time.
    /// </summary>
    public InferenceSession CreateSession(int contextLength, int batchSize = 64)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(contextLength);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        int context = Math.Min(contextLength, Hyperparameters.ContextLength);
        return new InferenceSession(this, _weights, _rope, context, Math.Min(batchSize, context));
    }

    /// <summary>The file's SHA-256 (lower-case hex), computed once in the background on first request.</summary>
    public Task<string> GetSha256Async() => _sha256.Value;

    /// <summary>Unmaps the file; sessions must not be used afterwards.</summary>
    public void Dispose()
    {
        _disposed = true;
        _file.Dispose();
    }

    private async Task<string> ComputeSha256()
    {
        await using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan | FileOptions.Asynchronous);
        byte[] hash = await SHA256.HashDataAsync(stream).ConfigureAwait(false);
        return Convert.ToHexStringLower(hash);
    }
}
