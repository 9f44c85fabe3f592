using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.IO.Hashing;
using System.Text;
using Microsoft.Extensions.AI;
using Switchyard.Configuration;
using Switchyard.Embeddings;
using Switchyard.Embeddings.Tokenization;
using Switchyard.Evaluation;
using Switchyard.Evaluation.RouteLlm;
using Switchyard.Routing;
using Switchyard.Routing.Difficulty;
using Switchyard.Routing.Learners;

namespace Switchyard.RoutingBench;

/// <summary>
/// The learned router (issue 13) for one embedder input length, built once per process as <c>serve</c> builds it
/// (<c>LearnedRouterLoader</c>): a 2-model <see cref="LearnedRouterModel"/> trained by <see cref="LearnedRouterTrainer"/>
/// on RouteLLM's GSM8K outcomes with all-MiniLM-L6-v2 embeddings at <see cref="MaxTokens"/> (Mixtral-8x7B vs GPT-4),
/// a <see cref="MiniLmEmbedder"/> with the same MaxTokens and one intra-op thread behind a 10,000-entry
/// <see cref="CachingEmbedder"/>, and <see cref="LearnedRouterModel.CreateStrategy"/> for <c>[local, cloud]</c> at a
/// 30 % strong share. Training (about a minute per length on one core) is done once: the router is saved under the
/// binary's folder (<c>learned-routers/</c>, keyed by the Core, Embeddings and Learners builds) and loaded on later runs.
/// </summary>
internal sealed class LearnedRoutingFixture
{
    /// <summary>Entries of the serve-like embedding cache (<c>Embeddings:CacheSize</c>'s default).</summary>
    public const int CacheCapacity = 10_000;

    /// <summary>The embedder input lengths benchmarked (tokens, [CLS] and [SEP] included).</summary>
    public static readonly int[] MaxTokenSettings = [256, 128];

    /// <summary>The prompts, by name, in the order they are reported.</summary>
    public static readonly string[] PromptNames = ["60 tokens", "256 tokens"];

    private static readonly ConcurrentDictionary<int, Lazy<LearnedRoutingFixture>> Fixtures = new();

    private static readonly Lazy<IReadOnlyDictionary<string, (string A, string B)>> SharedPrompts = new(BuildPrompts, LazyThreadSafetyMode.ExecutionAndPublication);

    private LearnedRoutingFixture(int maxTokens)
    {
        MaxTokens = maxTokens;
        var ngram = RoutingFixture.Instance;
        var start = Stopwatch.GetTimestamp();
        (Router, RouterFile, Trained) = LoadOrTrain(ngram.Gsm8k, maxTokens);
        RouterTime = Stopwatch.GetElapsedTime(start);

        // As serve builds it: one MiniLmEmbedder per input length, IntraOpThreads 1, behind a CachingEmbedder.
        Embedder = new MiniLmEmbedder(new MiniLmEmbedderOptions { MaxTokens = maxTokens, IntraOpThreads = 1 });
        Cache = new CachingEmbedder(Embedder, CacheCapacity);
        Strategy = CreateStrategy(Router, Cache);

        // Fill the cache to capacity with other entries (vectors of a stand-in embedder), so hits are measured on a full cache.
        Cache.Load(new MemoryStream(CacheFiller.Value), CacheFillerTag);

        // The same embedder behind a one-entry cache: alternating two prompts, every call is a miss (hash, lookup,
        // embedding, store, eviction), with the rest of the per-request path unchanged.
        MissCache = new CachingEmbedder(Embedder, 1);
        MissStrategy = CreateStrategy(Router, MissCache);
    }

    /// <summary>Tokens per text the embedder reads (the rest is truncated).</summary>
    public int MaxTokens { get; }

    public LearnedRouterModel Router { get; }

    /// <summary>Where the trained router is cached.</summary>
    public string RouterFile { get; }

    /// <summary>Whether this process trained the router (else it was loaded from <see cref="RouterFile"/>).</summary>
    public bool Trained { get; }

    public TimeSpan RouterTime { get; }

    public MiniLmEmbedder Embedder { get; }

    /// <summary>The serve-like cache (<see cref="CacheCapacity"/> entries, full).</summary>
    public CachingEmbedder Cache { get; }

    /// <summary>The strategy as serve builds it, over <see cref="Cache"/>.</summary>
    public DifficultyStrategy Strategy { get; }

    /// <summary>A one-entry cache over the same embedder.</summary>
    public CachingEmbedder MissCache { get; }

    /// <summary>The same strategy over <see cref="MissCache"/>.</summary>
    public DifficultyStrategy MissStrategy { get; }

    /// <summary>Per prompt name, two different prompts of the same token count ([CLS]/[SEP] included).</summary>
    public static IReadOnlyDictionary<string, (string A, string B)> Prompts => SharedPrompts.Value;

    public static LearnedRoutingFixture For(int maxTokens) =>
        Fixtures.GetOrAdd(maxTokens, m => new Lazy<LearnedRoutingFixture>(() => new LearnedRoutingFixture(m), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    /// <summary>Deletes the cached routers, so the next fixture trains again.</summary>
    public static void ForgetTrainedRouters()
    {
        var dir = RouterDirectory;
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    public static IReadOnlyList<ChatMessage> User(string text) => [new ChatMessage(ChatRole.User, text)];

    /// <summary>Lines describing the router, the strategy, and each prompt's token count, P(good enough) and route.</summary>
    public IEnumerable<string> Describe()
    {
        var pair = Router.Pairs[0];
        var threshold = Strategy.Thresholds.Single().Value;
        yield return string.Create(CultureInfo.InvariantCulture,
            $"learned router, MaxTokens {MaxTokens}: {pair.Weak} vs {pair.Strong}, learner {pair.Selection.Chosen} "
            + $"({(Trained ? "trained" : "loaded")} in {RouterTime.TotalSeconds:0.0} s, {RouterFile})");
        yield return string.Create(CultureInfo.InvariantCulture,
            $"  strategy: [{RoutingFixture.WeakCandidate}, {RoutingFixture.StrongCandidate}], {threshold.Target}: threshold {threshold.Threshold:0.0000}; "
            + $"embedder MaxTokens {Embedder.MaxTokens}, IntraOpThreads {Embedder.IntraOpThreads}, cache {Cache.Count:N0}/{Cache.Capacity:N0} entries");
        var scorer = new LearnedDifficultyScorer(pair.Learner, new PromptEncoder(Embedder), pair.Weak, pair.Strong, Router.Selection.Margin);
        foreach (var name in PromptNames)
        {
            var (a, b) = Prompts[name];
            foreach (var text in (string[])[a, b])
            {
                var tokens = Embedder.Tokenizer.CountTokens(text) + 2;
                var p = scorer.PredictGoodEnough(User(text));
                yield return string.Create(CultureInfo.InvariantCulture,
                    $"  {name,-10} {(ReferenceEquals(text, a) ? "A" : "B")}: {text.Length} chars, {tokens} tokens with [CLS]/[SEP] ({Math.Min(tokens, MaxTokens)} embedded), "
                    + $"p_good {p:0.0000} -> {(threshold.Escalates(p) ? RoutingFixture.StrongCandidate + " (escalates)" : RoutingFixture.WeakCandidate)}");
            }
        }
    }

    /// <summary>
    /// Retained heap of a <see cref="CachingEmbedder"/> holding <paramref name="entries"/> 384-float embeddings:
    /// GC.GetTotalMemory(forceFullCollection) before and after filling one through a stand-in embedder.
    /// </summary>
    public static (long Bytes, int Entries) MeasureCacheMemory(int entries = CacheCapacity)
    {
        var texts = Enumerable.Range(0, entries).Select(i => string.Create(CultureInfo.InvariantCulture, $"filler {i}")).ToArray();
        var inner = new StandInEmbedder(384);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var cache = new CachingEmbedder(inner, entries);
        foreach (var text in texts)
        {
            cache.Embed(text);
        }

        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(cache);
        GC.KeepAlive(texts);
        return (after - before, cache.Count);
    }

    private const string CacheFillerTag = "routing-bench filler";

    /// <summary><see cref="CacheCapacity"/> entries in <see cref="CachingEmbedder.Save"/>'s format (keys of "filler i", stand-in vectors).</summary>
    private static readonly Lazy<byte[]> CacheFiller = new(() =>
    {
        var cache = new CachingEmbedder(new StandInEmbedder(384), CacheCapacity);
        for (var i = 0; i < CacheCapacity; i++)
        {
            cache.Embed(string.Create(CultureInfo.InvariantCulture, $"filler {i}"));
        }

        using var stream = new MemoryStream();
        cache.Save(stream, CacheFillerTag);
        return stream.ToArray();
    });

    private static string RouterDirectory => Path.Combine(AppContext.BaseDirectory, "learned-routers");

    private static DifficultyStrategy CreateStrategy(LearnedRouterModel router, ITextEmbedder embedder) =>
        router.CreateStrategy(
            [RouteLlmReader.WeakModel, RouteLlmReader.StrongModel],
            [RoutingFixture.WeakCandidate, RoutingFixture.StrongCandidate],
            [new ModelPrice(), new ModelPrice()],
            new PromptEncoder(embedder),
            RouteTarget.From(RoutingFixture.StrongShare, qualityTarget: null, costBudget: null));

    /// <summary>Loads the router trained at <paramref name="maxTokens"/> by this build of the code, or trains and saves it.</summary>
    private static (LearnedRouterModel Router, string Path, bool Trained) LoadOrTrain(OutcomeSet gsm8k, int maxTokens)
    {
        // Key the file by the builds of the assemblies that decide what training produces (featurizer, data reader,
        // tokenizer and model, learners).
        Type[] types = [typeof(ConversationFeaturizer), typeof(RouteLlmReader), typeof(MiniLmEmbedder), typeof(LearnedRouterTrainer)];
        var ids = new byte[16 * types.Length];
        for (var i = 0; i < types.Length; i++)
        {
            types[i].Assembly.ManifestModule.ModuleVersionId.TryWriteBytes(ids.AsSpan(16 * i, 16));
        }

        var stamp = Convert.ToHexStringLower(XxHash64.Hash(ids));
        var path = Path.Combine(RouterDirectory, string.Create(CultureInfo.InvariantCulture, $"gsm8k-minilm-{maxTokens}-{stamp}.json"));
        if (File.Exists(path))
        {
            var loaded = LearnedRouterModel.Load(path);
            if (loaded.Embedder?.MaxTokens == maxTokens || !loaded.NeedsEmbeddings)
            {
                return (loaded, path, false);
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"training the learned router at MaxTokens {maxTokens} on {gsm8k.Records.Count} GSM8K prompts (once; saved to {path})"));
        using var embedder = new MiniLmEmbedder(new MiniLmEmbedderOptions { MaxTokens = maxTokens, IntraOpThreads = Math.Max(1, Environment.ProcessorCount) });
        var router = LearnedRouterTrainer.Train(
            gsm8k.Records,
            [RouteLlmReader.WeakModel, RouteLlmReader.StrongModel],
            embedder,
            new LearnedRouterEmbedder("all-MiniLM-L6-v2", embedder.Dimensions, embedder.MaxTokens),
            progress: new ConsoleProgress(),
            source: "routellm/gsm8k",
            timeProvider: TimeProvider.System);
        foreach (var stale in Directory.Exists(RouterDirectory) ? Directory.GetFiles(RouterDirectory, string.Create(CultureInfo.InvariantCulture, $"gsm8k-minilm-{maxTokens}-*.json")) : [])
        {
            File.Delete(stale);
        }

        router.Save(path);
        Console.WriteLine(router.FormatTables());
        return (router, path, true);
    }

    /// <summary>
    /// Two prompts per size, of exactly the target token count ([CLS]/[SEP] included): GSM8K questions run together,
    /// whole words added while the count stays within the target; B starts at another question than A.
    /// </summary>
    private static Dictionary<string, (string A, string B)> BuildPrompts()
    {
        var tokenizer = BertWordPieceTokenizer.FromVocabularyFile(Path.Combine(MiniLmEmbedder.DefaultModelDirectory, MiniLmEmbedder.VocabularyFileName));
        var records = RoutingFixture.Instance.Gsm8k.Records;
        return new Dictionary<string, (string A, string B)>(StringComparer.Ordinal)
        {
            [PromptNames[0]] = (Fill(0, 60), Fill(500, 60)),
            [PromptNames[1]] = (Fill(100, 256), Fill(700, 256)),
        };

        string Fill(int firstQuestion, int tokens)
        {
            var words = records.Skip(firstQuestion).Take(40).SelectMany(r => r.Messages[0].Text.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            var text = new StringBuilder();
            foreach (var word in words)
            {
                var length = text.Length;
                text.Append(length == 0 ? string.Empty : " ").Append(word);
                var count = tokenizer.CountTokens(text.ToString()) + 2;
                if (count > tokens)
                {
                    text.Length = length;
                }

                if (count >= tokens)
                {
                    break;
                }
            }

            var result = text.ToString();
            var final = tokenizer.CountTokens(result) + 2;
            return final >= tokens - 2 ? result : throw new InvalidOperationException($"prompt of {final} tokens, wanted {tokens}");
        }
    }

    /// <summary>Writes progress lines as they come (Progress&lt;T&gt; would post them to the thread pool).</summary>
    private sealed class ConsoleProgress : IProgress<string>
    {
        public void Report(string value) => Console.WriteLine("  " + value);
    }

    /// <summary>A deterministic stand-in for the model (a vector from the text's hash), to fill caches cheaply.</summary>
    private sealed class StandInEmbedder(int dimensions) : ITextEmbedder
    {
        public int Dimensions => dimensions;

        public float[] Embed(string text)
        {
            var vector = new float[dimensions];
            var seed = (int)XxHash32.HashToUInt32(System.Runtime.InteropServices.MemoryMarshal.AsBytes(text.AsSpan()));
            var random = new Random(seed);
            for (var i = 0; i < vector.Length; i++)
            {
                vector[i] = (float)random.NextDouble();
            }

            return vector;
        }

        public IReadOnlyList<float[]> Embed(IReadOnlyList<string> texts) => [.. texts.Select(Embed)];
    }
}
