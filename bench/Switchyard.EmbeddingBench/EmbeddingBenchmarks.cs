using BenchmarkDotNet.Attributes;
using Switchyard.Embeddings;

namespace Switchyard.EmbeddingBench;

/// <summary>
/// One text per call on the calling thread: the full <see cref="MiniLmEmbedder.Embed(string)"/> (tokenize, ONNX
/// Runtime inference, mean pooling, normalisation), the tokenizer alone, and a <see cref="CachingEmbedder"/> hit.
/// </summary>
[MemoryDiagnoser]
public class EmbeddingBenchmarks
{
    private MiniLmEmbedder _embedder = null!;
    private CachingEmbedder _cache = null!;
    private string _text = null!;
    private int[] _ids = null!;

    [ParamsSource(nameof(InputNames))]
    public string Input { get; set; } = "60 tokens";

    public static IEnumerable<string> InputNames => Inputs.Names;

    [GlobalSetup]
    public void Setup()
    {
        _embedder = Inputs.Embedder;
        _text = Inputs.Get(Input);
        _ids = new int[_embedder.MaxTokens];
        _cache = new CachingEmbedder(_embedder, capacity: 1024);
        _cache.Embed(_text); // so CacheHit measures hits only
    }

    [Benchmark]
    public float[] Embed() => _embedder.Embed(_text);

    [Benchmark]
    public int Tokenize() => _embedder.Tokenizer.Encode(_text, _ids);

    [Benchmark]
    public float[] CacheHit() => _cache.Embed(_text);
}
