using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;
using Switchyard.Configuration;
using Switchyard.Evaluation;
using Switchyard.Evaluation.RouteLlm;
using Switchyard.Routing;
using Switchyard.Routing.Difficulty;

namespace Switchyard.RoutingBench;

/// <summary>
/// What every benchmark shares, built once per process (the benchmarks run in-process): a difficulty router trained
/// with <see cref="DifficultyTrainer.TrainRouter"/> on RouteLLM's GSM8K outcomes (default featurizer and training
/// settings), its scorer, a two-candidate <see cref="DifficultyStrategy"/>, and the benchmark inputs.
/// </summary>
internal sealed class RoutingFixture
{
    /// <summary>The strategy's calibration target: escalate this share of the calibration prompts.</summary>
    public const double StrongShare = 0.3;

    /// <summary>The route name and its two candidates, cheapest first.</summary>
    public const string RouteName = "smart";

    public const string WeakCandidate = "local";

    public const string StrongCandidate = "cloud";

    /// <summary>Benchmark inputs, in the order they are reported.</summary>
    public static readonly string[] InputNames = ["100B", "1KiB", "4KiB", "32KiB", "conv6"];

    private static readonly Lazy<RoutingFixture> Shared = new(() => new RoutingFixture(), LazyThreadSafetyMode.ExecutionAndPublication);

    private const string SystemPrompt =
        "You are a careful maths tutor. Work through each problem step by step, show the arithmetic you do, and end "
        + "with a line of the form '#### <answer>'. If a question is ambiguous, say which reading you chose.";

    private RoutingFixture()
    {
        RepoRoot = FindRepoRoot();
        var start = Stopwatch.GetTimestamp();
        var gsm8k = RouteLlmReader.ReadGsm8k(Path.Combine(RepoRoot, "data", "routellm-evals", "gsm8k"));
        var mmlu = RouteLlmReader.ReadMmlu(Path.Combine(RepoRoot, "data", "routellm-evals", "mmlu"));
        ReadTime = Stopwatch.GetElapsedTime(start);

        start = Stopwatch.GetTimestamp();
        Router = DifficultyTrainer.TrainRouter(
            gsm8k.Records,
            [RouteLlmReader.WeakModel, RouteLlmReader.StrongModel],
            featurizer: new FeaturizerSettings(),
            source: "routellm/gsm8k",
            timeProvider: TimeProvider.System);
        TrainTime = Stopwatch.GetElapsedTime(start);

        Pair = Router.Pairs[0];
        Scorer = Router.CreateScorer(Pair);
        Strategy = DifficultyStrategy.Create(Router, [WeakCandidate, StrongCandidate], StrongShare, qualityTarget: null);
        Threshold = Strategy.Thresholds.Single().Value;
        Candidates = [Candidate(WeakCandidate), Candidate(StrongCandidate)];
        Inputs = BuildInputs(gsm8k, mmlu);
        Gsm8k = gsm8k;
    }

    public static RoutingFixture Instance => Shared.Value;

    public string RepoRoot { get; }

    public TimeSpan ReadTime { get; }

    public TimeSpan TrainTime { get; }

    public DifficultyRouterModel Router { get; }

    public DifficultyPairModel Pair { get; }

    public IDifficultyScorer Scorer { get; }

    public DifficultyStrategy Strategy { get; }

    public CalibratedThreshold Threshold { get; }

    public IReadOnlyList<RouteCandidate> Candidates { get; }

    public IReadOnlyDictionary<string, IReadOnlyList<ChatMessage>> Inputs { get; }

    /// <summary>RouteLLM's GSM8K outcomes (the learned router's training data too).</summary>
    public OutcomeSet Gsm8k { get; }

    /// <summary>A line per input: its shape, P(good enough) and whether the strategy escalates it.</summary>
    public IEnumerable<string> Describe()
    {
        yield return string.Create(CultureInfo.InvariantCulture,
            $"router: {Pair.Weak} vs {Pair.Strong}, {Pair.Examples} GSM8K prompts (good-enough rate {Pair.GoodEnoughRate:0.000}), "
            + $"featurizer {Router.Featurizer}; data read in {ReadTime.TotalSeconds:0.0} s, trained in {TrainTime.TotalSeconds:0.0} s");
        yield return string.Create(CultureInfo.InvariantCulture,
            $"strategy: [{WeakCandidate}, {StrongCandidate}], {Threshold.Target}: threshold {Threshold.Threshold:0.0000} (escalates {Threshold.StrongShare:P1} of calibration prompts)");
        foreach (var name in InputNames)
        {
            var messages = Inputs[name];
            var chars = messages.Sum(m => m.Text.Length);
            var bytes = messages.Sum(m => Encoding.UTF8.GetByteCount(m.Text));
            var p = Scorer.PredictGoodEnough(messages);
            yield return string.Create(CultureInfo.InvariantCulture,
                $"input {name,-6}: {messages.Count} message(s), {chars} chars ({bytes} B UTF-8), p_good {p:0.0000} -> {(Threshold.Escalates(p) ? StrongCandidate + " (escalates)" : WeakCandidate)}");
        }
    }

    /// <summary>The repository root: the first directory upwards from the working directory, else from the binary, holding Switchyard.slnx.</summary>
    private static string FindRepoRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Switchyard.slnx")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new DirectoryNotFoundException($"Switchyard.slnx not found above '{Environment.CurrentDirectory}' or '{AppContext.BaseDirectory}': run from inside the repository.");
    }

    private static Dictionary<string, IReadOnlyList<ChatMessage>> BuildInputs(OutcomeSet gsm8k, OutcomeSet mmlu)
    {
        // Real prompts, GSM8K and MMLU alternately, blank-line separated: the single-message inputs are its first N chars.
        var text = new StringBuilder();
        var count = Math.Min(gsm8k.Records.Count, mmlu.Records.Count);
        for (var i = 0; i < count && text.Length < 40_000; i++)
        {
            text.Append(gsm8k.Records[i].Messages[0].Text).Append("\n\n");
            text.Append(mmlu.Records[i * 7 % mmlu.Records.Count].Messages[0].Text).Append("\n\n");
        }

        var pool = text.ToString();
        var inputs = new Dictionary<string, IReadOnlyList<ChatMessage>>(StringComparer.Ordinal)
        {
            ["100B"] = User(pool[..100]),
            ["1KiB"] = User(pool[..1024]),
            ["4KiB"] = User(pool[..4096]),
            ["32KiB"] = User(pool[..32768]),
        };

        // A six-message conversation: system prompt, then three GSM8K questions with the strong model's answers between them.
        var strong = RouteLlmReader.StrongModel;
        var turns = gsm8k.Records.Skip(10).Where(r => r.Outcomes.TryGetValue(strong, out var o) && !string.IsNullOrEmpty(o.Response)).Take(3).ToList();
        inputs["conv6"] =
        [
            new ChatMessage(ChatRole.System, SystemPrompt),
            new ChatMessage(ChatRole.User, turns[0].Messages[0].Text),
            new ChatMessage(ChatRole.Assistant, turns[0].Outcomes[strong].Response),
            new ChatMessage(ChatRole.User, turns[1].Messages[0].Text),
            new ChatMessage(ChatRole.Assistant, turns[1].Outcomes[strong].Response),
            new ChatMessage(ChatRole.User, turns[2].Messages[0].Text),
        ];
        return inputs;

        static ChatMessage[] User(string content) => [new ChatMessage(ChatRole.User, content)];
    }

    private static RouteCandidate Candidate(string name) =>
        new(name, "bench", "self", new NullChatClient(), new CircuitBreaker(5, TimeSpan.FromSeconds(1), TimeProvider.System), new ModelPrice(), new RetrySettings(0, TimeSpan.Zero, TimeSpan.Zero));

    /// <summary>A client that is never called: the benchmarks stop at the routing decision.</summary>
    private sealed class NullChatClient : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
