using Switchyard.Configuration;
using Switchyard.Embeddings;
using Switchyard.Routing;
using Switchyard.Routing.Difficulty;
using Switchyard.Routing.Learners;
using Switchyard.Routing.Learners.Verification;

namespace Switchyard.Gateway;

/// <summary>
/// Builds difficulty strategies from learned router files (<c>switchyard.difficulty-router/2</c>) and learned cascade
/// verifiers from verifier files (<c>switchyard.cascade-verifier/1</c>), and owns the one sentence embedder they share
/// (loaded on first need, cached per <c>Embeddings:CacheSize</c>, disposed with the runtime).
/// </summary>
internal sealed class LearnedRouterLoader(EmbeddingsConfig config) : IDisposable
{
    /// <summary>The embedder <c>switchyard train-verifier</c> trains with (at its default input length); verifier files record only its size.</summary>
    private const string VerifierEmbedderName = "all-MiniLM-L6-v2";

    private readonly Dictionary<string, LearnedRouterModel> _routers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, VerifierModel> _verifiers = new(StringComparer.Ordinal);
    private readonly Dictionary<int, (MiniLmEmbedder Model, ITextEmbedder Cached)> _embedders = [];

    /// <summary>The strategy for a route whose router file is a learned router.</summary>
    /// <exception cref="FormatException">The file is unreadable or inconsistent.</exception>
    /// <exception cref="ArgumentException">The candidates do not fit the router, or the target cannot be met.</exception>
    public DifficultyStrategy Create(RouteStrategyConfig strategy, IReadOnlyList<string> candidates, IReadOnlyList<RouteCandidate> models)
    {
        var path = strategy.Router!;
        if (!_routers.TryGetValue(path, out var router))
        {
            router = LearnedRouterModel.Load(path);
            _routers[path] = router;
        }

        var routerModels = strategy.Models is { } mapped ? mapped
            : candidates.All(c => router.IndexOfModel(c) >= 0) ? candidates
            : router.Models.Count == candidates.Count ? router.Models
            : throw new ArgumentException($"the candidates ({string.Join(", ", candidates)}) are not models of the router ({string.Join(", ", router.Models)}); name the router model of each candidate in Models.");
        var prices = candidates.Select(c => (ModelPrice?)models.First(m => string.Equals(m.Name, c, StringComparison.OrdinalIgnoreCase)).Price).ToList();
        var target = RouteTarget.From(strategy.StrongShare, strategy.QualityTarget, strategy.CostBudget);
        if (target.CostBudget is not null && router.Calibration.Costs is null && prices.Any(p => p is null || (p.Input == 0 && p.Output == 0)))
        {
            var unpriced = candidates.Where((_, i) => prices[i] is null || (prices[i]!.Input == 0 && prices[i]!.Output == 0));
            throw new ArgumentException($"CostBudget needs a price for every candidate (the router's data recorded no costs); no price for {string.Join(", ", unpriced)}: set Models:<name>:Price or use StrongShare/QualityTarget.");
        }

        var encoder = new PromptEncoder(router.NeedsEmbeddings ? Embedder(router.Embedder!, "router") : null);
        return router.CreateStrategy(routerModels, candidates, prices, encoder, target);
    }

    /// <summary>
    /// The learned cascade verifier of a route whose <c>Verifier</c> is <c>learned</c>: its file (<c>VerifierModel</c>)
    /// loaded once per path, its threshold calibrated to the route's <c>StrongShare</c> or <c>QualityTarget</c> on the
    /// file's out-of-fold calibration set. The file's weak and strong model names need not be the candidates' names.
    /// </summary>
    /// <exception cref="FormatException">The file is unreadable or not a valid verifier, or the embedder it needs cannot be loaded or has another size.</exception>
    /// <exception cref="ArgumentException">The target is out of range.</exception>
    public LearnedVerifier CreateVerifier(RouteStrategyConfig strategy)
    {
        var path = strategy.VerifierModel!;
        if (!_verifiers.TryGetValue(path, out var model))
        {
            try
            {
                model = VerifierModelJson.Load(path);
            }
            catch (UnauthorizedAccessException ex)
            {
                throw new FormatException($"Verifier file '{path}' cannot be read: {ex.Message}", ex);
            }

            _verifiers[path] = model;
        }

        var embedder = model.EmbeddingDimensions > 0
            ? Embedder(new LearnedRouterEmbedder(VerifierEmbedderName, model.EmbeddingDimensions, MiniLmEmbedder.DefaultMaxTokens), "verifier")
            : null;
        return strategy.StrongShare is { } share
            ? LearnedVerifier.ForStrongShare(model, share, embedder)
            : LearnedVerifier.ForQuality(model, strategy.QualityTarget!.Value, embedder);
    }

    private ITextEmbedder Embedder(LearnedRouterEmbedder trained, string reader)
    {
        var maxTokens = trained.MaxTokens is >= 2 and <= MiniLmEmbedder.ModelMaxTokens ? trained.MaxTokens : MiniLmEmbedder.DefaultMaxTokens;
        if (_embedders.TryGetValue(maxTokens, out var existing))
        {
            return existing.Cached;
        }

        MiniLmEmbedder model;
        try
        {
            model = new MiniLmEmbedder(new MiniLmEmbedderOptions { ModelDirectory = config.ModelDirectory, MaxTokens = maxTokens, IntraOpThreads = config.Threads });
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            throw new FormatException($"the {reader} reads {trained.Name} embeddings, and the embedder cannot be loaded: {ex.Message}", ex);
        }

        if (model.Dimensions != trained.Dimensions)
        {
            model.Dispose();
            throw new FormatException($"the {reader} was trained on {trained.Dimensions}-dimensional {trained.Name} embeddings; the embedder gives {model.Dimensions}.");
        }

        ITextEmbedder cached = config.CacheSize > 0 ? new CachingEmbedder(model, config.CacheSize) : model;
        _embedders[maxTokens] = (model, cached);
        return cached;
    }

    /// <summary>Releases the embedders.</summary>
    public void Dispose()
    {
        foreach (var (model, _) in _embedders.Values)
        {
            model.Dispose();
        }

        _embedders.Clear();
    }
}
