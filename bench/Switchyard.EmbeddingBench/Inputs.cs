using Switchyard.Embeddings;

namespace Switchyard.EmbeddingBench;

/// <summary>The prompts measured, and the one embedder shared by all benchmarks of the process.</summary>
public static class Inputs
{
    /// <summary>A user prompt of ~60 WordPiece tokens ([CLS] and [SEP] included).</summary>
    public const string Prompt60 =
        "A train leaves Chicago at 3:15 pm travelling east at 72 km/h; a second train leaves the same station at 4:00 pm " +
        "on the same track at 90 km/h. At what time does the second train catch up with the first, and how far from " +
        "Chicago are they then?";

    private static readonly Lazy<MiniLmEmbedder> SharedEmbedder = new(() => new MiniLmEmbedder());

    /// <summary>Input names for [Params].</summary>
    public static IEnumerable<string> Names => ["60 tokens", "256 tokens"];

    /// <summary>A prompt that fills the 256-token window (the rest of it is truncated).</summary>
    public static string Prompt256 { get; } = string.Join(' ', Enumerable.Repeat(
        "Explain step by step how to compute the eigenvalues of a 3x3 symmetric matrix, then apply it to [[2, -1, 0], [-1, 2, -1], [0, -1, 2]] and check the trace.",
        12));

    /// <summary>all-MiniLM-L6-v2 with the default options (256 tokens, one intra-op thread).</summary>
    public static MiniLmEmbedder Embedder => SharedEmbedder.Value;

    public static string Get(string name) => name switch
    {
        "60 tokens" => Prompt60,
        "256 tokens" => Prompt256,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown input"),
    };

    public static IEnumerable<string> Describe()
    {
        var embedder = Embedder;
        yield return $"all-MiniLM-L6-v2 from {embedder.ModelDirectory}: {embedder.Dimensions} dimensions, MaxTokens {embedder.MaxTokens}, IntraOpThreads {embedder.IntraOpThreads}";
        foreach (string name in Names)
        {
            string text = Get(name);
            int pieces = embedder.Tokenizer.CountTokens(text);
            int encoded = embedder.Tokenizer.Encode(text, embedder.MaxTokens).Length;
            yield return $"  {name}: {text.Length} characters, {pieces + 2} tokens with [CLS]/[SEP], {encoded} embedded";
        }
    }
}
