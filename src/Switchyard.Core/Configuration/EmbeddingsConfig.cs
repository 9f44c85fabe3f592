namespace Switchyard.Configuration;

/// <summary>
/// The in-process sentence embedder (all-MiniLM-L6-v2 through ONNX Runtime) that learned difficulty routers read.
/// Loaded only when a route's router needs it.
/// </summary>
public sealed class EmbeddingsConfig
{
    /// <summary>Folder with <c>model.onnx</c> and <c>vocab.txt</c>; null uses the copy shipped beside the binaries.</summary>
    public string? ModelDirectory { get; set; }

    /// <summary>Embeddings kept in memory (an LRU keyed by the text's hash), so repeated turns are not re-embedded. Default 10,000 (about 16 MB).</summary>
    public int CacheSize { get; set; } = 10_000;

    /// <summary>ONNX Runtime threads per embedding (default 1: the request's own thread).</summary>
    public int Threads { get; set; } = 1;
}
