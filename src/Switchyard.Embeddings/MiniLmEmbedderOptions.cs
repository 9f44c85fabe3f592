namespace Switchyard.Embeddings;

/// <summary>Settings of a <see cref="MiniLmEmbedder"/>.</summary>
public sealed class MiniLmEmbedderOptions
{
    /// <summary>
    /// Folder with <c>model.onnx</c> and <c>vocab.txt</c>. Null (the default) means
    /// <see cref="MiniLmEmbedder.DefaultModelDirectory"/>, where the build puts them.
    /// </summary>
    public string? ModelDirectory { get; init; }

    /// <summary>
    /// Most tokens per text, <c>[CLS]</c> and <c>[SEP]</c> included; longer texts are truncated (their end is not
    /// embedded). Default 256, the max_seq_length all-MiniLM-L6-v2 was trained with; at most 512 (the model's position
    /// embeddings), at least 2.
    /// </summary>
    public int MaxTokens { get; init; } = MiniLmEmbedder.DefaultMaxTokens;

    /// <summary>
    /// Threads ONNX Runtime uses inside one inference (intra-op). Default 1: the call runs on the caller's thread
    /// only, so concurrent requests each use one core and nothing spins in the background.
    /// </summary>
    public int IntraOpThreads { get; init; } = 1;

    /// <summary>
    /// Most texts run through the model together by <see cref="MiniLmEmbedder.Embed(IReadOnlyList{string})"/>; larger
    /// lists are split. A batch is padded to its longest text, so its cost grows with that length times the count.
    /// Default 32.
    /// </summary>
    public int MaxBatchSize { get; init; } = 32;
}
