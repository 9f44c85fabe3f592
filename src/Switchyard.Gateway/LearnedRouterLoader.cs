using Switchyard.Configuration;
using Switchyard.Embeddings;
using Switchyard.Routing;
using Switchyard.Routing.Difficulty;
using Switchyard.Routing.Learners;

namespace Switchyard.Gateway;

/// <summary>
/// Builds difficulty strategies from learned router files (<c>switchyard.difficulty-router/2</c>) and owns the one
/// sentence embedder they share (loaded on first need, cached per <c>Embeddings:CacheSize</c>, disposed with the runtime).
/// </summary>
internal sealed class LearnedRouterLoader(EmbeddingsConfig config) : IDisposable
{
    private readonly Dictionary<string, LearnedRouterModel> _routers = new(StringComparer.Ordinal);
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

        var encoder = new PromptEncoder(router.NeedsEmbeddings ? Embedder(router.Embedder!) : null);
        return router.CreateStrategy(routerModels, candidates, prices, encoder, target);
    }

    private ITextEmbedder Embedder(LearnedRouterEmbedder trained)
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
            throw new FormatException($"the router reads {trained.Name} embeddings, and the embedder cannot be loaded: {ex.Message}", ex);
        }

        if (model.Dimensions != trained.Dimensions)
        {
            model.Dispose();
            throw new FormatException($"the router was trained on {trained.Dimensions}-dimensional {trained.Name} embeddings; the embedder gives {model.Dimensions}.");
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
