using Microsoft.Extensions.AI;
using Switchyard.Configuration;
using Switchyard.Metering;
using Switchyard.Providers;
using Switchyard.Routing;
using Switchyard.Storage;
using Switchyard.Storage.Ledger;

namespace Switchyard.Gateway;

/// <summary>
/// Everything one configuration builds: provider clients, the model catalog, the router, the ledger and the
/// request pipeline (ledger → privacy guard → router → candidate clients). Usable in process without the HTTP gateway.
/// </summary>
public sealed class SwitchyardRuntime : IAsyncDisposable
{
    private readonly List<IProviderClientFactory> _factories;
    private readonly LearnedRouterLoader _learned;
    private readonly Func<string, string?> _env;
    private readonly Lock _accessGate = new();
    private Access.ApiKeyAuthenticator? _authenticator;
    private Storage.Access.KeyStore? _keys;

    private SwitchyardRuntime(SwitchyardOptions options, ModelCatalog catalog, SwitchyardRouter router, SwitchyardStore store, IChatClient pipeline, List<IProviderClientFactory> factories, TimeProvider time, IReadOnlyList<EmbeddedModelInfo> embedded, LearnedRouterLoader learned, Func<string, string?> env)
    {
        _env = env;
        _learned = learned;
        EmbeddedModels = embedded;
        Options = options;
        Catalog = catalog;
        Router = router;
        Store = store;
        Pipeline = pipeline;
        _factories = factories;
        TimeProvider = time;
    }

    /// <summary>The validated configuration.</summary>
    public SwitchyardOptions Options { get; }

    /// <summary>Models and routes.</summary>
    public ModelCatalog Catalog { get; }

    /// <summary>The router.</summary>
    public SwitchyardRouter Router { get; }

    /// <summary>The database: ledger (and the schema every instance on it shares).</summary>
    public SwitchyardStore Store { get; }

    /// <summary>The ledger.</summary>
    public DatabaseLedger Ledger => Store.Ledger;

    /// <summary>The client to call: records every request and routes it.</summary>
    public IChatClient Pipeline { get; }

    /// <summary>The models running in process (embedded providers), with their load.</summary>
    public IReadOnlyList<EmbeddedModelInfo> EmbeddedModels { get; }

    /// <summary>The clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Builds the runtime from validated options.</summary>
    /// <param name="options">The configuration; validated here, throwing <see cref="SwitchyardConfigurationException"/>.</param>
    /// <param name="timeProvider">Clock for timeouts, backoff, breakers and timestamps.</param>
    /// <param name="getEnvironmentVariable">Reads API keys named by <c>ApiKeyEnv</c>.</param>
    /// <param name="random">Jitter source.</param>
    /// <param name="log">Receives ledger writer errors.</param>
    public static SwitchyardRuntime Create(SwitchyardOptions options, TimeProvider? timeProvider = null, Func<string, string?>? getEnvironmentVariable = null, Random? random = null, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        SwitchyardOptionsValidator.ThrowIfInvalid(options);
        var time = timeProvider ?? TimeProvider.System;
        var env = getEnvironmentVariable ?? Environment.GetEnvironmentVariable;

        // One scanner and one policy for the guard (before routing) and the egress check (before bytes leave).
        var custom = options.Privacy.CustomClasses.Select(c => (Privacy.IPrivacyDetector)new Privacy.Detectors.CustomTermDetector(c.Key, c.Value.Terms, c.Value.Patterns));
        var scanner = Privacy.PrivacyScanner.CreateDefault(custom);
        var policy = Privacy.PrivacyPolicy.From(options.Privacy);
        var egress = new Privacy.Egress.EgressInspector(scanner, policy);

        var factories = new List<IProviderClientFactory>();
        var embedded = new List<EmbeddedModelInfo>();
        var byProvider = new Dictionary<string, (IProviderClientFactory Factory, CircuitBreaker Breaker, ProviderConfig Config)>(StringComparer.OrdinalIgnoreCase);
        foreach (var (id, config) in options.Providers)
        {
            IProviderClientFactory factory;
            try
            {
                factory = ProviderClientFactory.Create(config, env, egress: new ProviderEgress(egress, id));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Local.Gguf.GgufFormatException)
            {
                foreach (var created in factories)
                {
                    created.Dispose();
                }

                throw new SwitchyardConfigurationException($"{SwitchyardOptions.SectionName}:Providers:{id}:Model: cannot load the model: {ex.Message}");
            }

            factories.Add(factory);
            if (factory is Providers.Embedded.EmbeddedProviderFactory local)
            {
                if (config.Sha256 is { } pinned && CheckPin(id, local, pinned) is { } mismatch)
                {
                    foreach (var created in factories)
                    {
                        created.Dispose();
                    }

                    throw new SwitchyardConfigurationException(mismatch);
                }

                embedded.Add(new EmbeddedModelInfo(id, local.Model, local.Load, config.Sha256));
            }

            byProvider[id] = (factory, new CircuitBreaker(config.CircuitFailureThreshold, TimeSpan.FromSeconds(config.CircuitBreakSeconds), time), config);
        }

        var candidates = new List<RouteCandidate>();
        var prices = Economics.Pricing.ConfiguredPricing.Catalog(options);
        var lifecycles = new Dictionary<string, Economics.Pricing.ModelLifecycle>(StringComparer.OrdinalIgnoreCase);
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        foreach (var (name, model) in options.Models)
        {
            var (factory, breaker, config) = byProvider[model.Provider!];
            var upstream = string.IsNullOrWhiteSpace(model.UpstreamModel) ? name : model.UpstreamModel;
            var zone = model.Zone ?? config.Zone ?? "self";
            var isEmbedding = ModelKinds.IsEmbedding(model.Kind);
            if (config.Kind?.Trim().ToLowerInvariant() is ProviderKinds.OpenAI or ProviderKinds.Anthropic)
            {
                var lifecycle = Economics.Pricing.ModelLifecycle.Assess(prices, upstream);
                lifecycles[name] = lifecycle;
                WarnAbout(name, lifecycle, today, log);
            }

            IChatClient client = isEmbedding ? factory.CreateEmbeddingClient(upstream) : new Wire.FieldDropChatClient(factory.CreateChatClient(upstream), config.Kind!);
            client = new Privacy.Egress.EgressZoneChatClient(client, new Privacy.Egress.EgressTarget(model.Provider!, zone));
            client = new ConfigureOptionsChatClient(client, o => o.ModelId = upstream);
            client = new AttemptTimeoutChatClient(client, TimeSpan.FromSeconds(config.TimeoutSeconds), time);
            var retry = new RetrySettings(config.MaxRetries, TimeSpan.FromMilliseconds(config.RetryBaseDelayMs), TimeSpan.FromSeconds(10));
            candidates.Add(new RouteCandidate(name, model.Provider!, zone, client, breaker, Economics.Pricing.ConfiguredPricing.For(model, upstream, prices), retry) {
                MaxOutputTokens = isEmbedding ? 0 : model.MaxOutputTokens ?? Access.BudgetBound.DefaultMaxOutputTokens,
                IsEmbedding = isEmbedding,
                RateLimit = model.Rpm is null && model.Tpm is null ? null : new Access.RateLimitScope("model:" + name.ToLowerInvariant(), model.Rpm, model.Tpm),
            });
        }

        var learned = new LearnedRouterLoader(options.Embeddings);
        Dictionary<string, IRouteStrategy> strategies;
        try
        {
            strategies = CreateStrategies(options, candidates, learned);
        }
        catch (SwitchyardConfigurationException)
        {
            learned.Dispose();
            foreach (var factory in factories)
            {
                factory.Dispose();
            }

            throw;
        }

        var catalog = new ModelCatalog(
            candidates,
            options.Routes.ToDictionary(r => r.Key, r => (IReadOnlyList<string>)r.Value.Candidates, StringComparer.OrdinalIgnoreCase),
            options.Routes.Where(r => r.Value.Pseudonymize).Select(r => r.Key),
            strategies);
        SwitchyardStore store;
        try
        {
            store = SwitchyardStore.Open(options, env, time, log);
        }
        catch (SwitchyardConfigurationException)
        {
            learned.Dispose();
            foreach (var factory in factories)
            {
                factory.Dispose();
            }

            throw;
        }

        var router = new SwitchyardRouter(catalog, time, random, store.Budgets, store.RateLimits);

        // Ledger → key authorization → privacy guard → rate limits → router (which reserves budgets per candidate): the policy decides which zones may serve before the router
        // picks a candidate, and the ledger sees every refusal.
        var declared = options.Routes.Where(r => r.Value.DataClasses.Count > 0).ToDictionary(r => r.Key, r => (IReadOnlyList<string>)r.Value.DataClasses, StringComparer.OrdinalIgnoreCase);
        var pipeline = new ChatClientBuilder(router)
            .UseLedger(store.Ledger, time)
            .UseKeyAuthorization()
            .UsePrivacyGuard(scanner, policy, declared)
            .UseRateLimits(store.RateLimits)
            .Build();
        if (options.Compliance.MonthlyActiveUsers is { } users && log is not null)
        {
            var deployment = new Economics.Licences.Deployment(users, options.Compliance.Commercial, options.Compliance.OfferedToThirdParties, options.Compliance.OutputsTrainModels);
            foreach (var (model, entry, result) in LicenceMatching.Check(options, deployment))
            {
                if (result.Verdict is Economics.Licences.ComplianceVerdict.NotAllowed or Economics.Licences.ComplianceVerdict.Unknown)
                {
                    log($"Compliance: model '{model}' ({entry?.LicenceName ?? "licence unknown"}) is {(result.Verdict == Economics.Licences.ComplianceVerdict.NotAllowed ? "not allowed" : "of unknown standing")} for this deployment: {result.Reasons[0]}");
                }
            }
        }

        return new SwitchyardRuntime(options, catalog, router, store, pipeline, factories, time, embedded, learned, env) { Lifecycles = lifecycles };
    }

    /// <summary>What the price catalog knows of each hosted model's lifecycle (pinned snapshot or floating alias, retirement date), by model name.</summary>
    public IReadOnlyDictionary<string, Economics.Pricing.ModelLifecycle> Lifecycles { get; private init; } = new Dictionary<string, Economics.Pricing.ModelLifecycle>();

    /// <summary>Start-up warnings: a floating alias (behaviour can change under you) and a retirement within 90 days or past.</summary>
    private static void WarnAbout(string name, Economics.Pricing.ModelLifecycle lifecycle, DateOnly today, Action<string>? log)
    {
        if (log is null)
        {
            return;
        }

        if (lifecycle.Pin == Economics.Pricing.PinState.Floating)
        {
            log($"Model '{name}': upstream '{lifecycle.Model}' is a floating alias the provider moves to new snapshots (known: {string.Join(", ", lifecycle.Snapshots.Take(3))}); set UpstreamModel to a dated snapshot for behaviour that does not shift.");
        }

        if (lifecycle.Retires is { } retires && retires <= today.AddDays(90))
        {
            log(retires < today
                ? $"Model '{name}': upstream '{lifecycle.Model}' was retired on {retires:yyyy-MM-dd}; requests to it will fail."
                : $"Model '{name}': upstream '{lifecycle.Model}' retires on {retires:yyyy-MM-dd} ({retires.DayNumber - today.DayNumber} days); plan its replacement.");
        }
    }

    /// <summary>
    /// The admin master key: the value of the environment variable named by <c>Auth:MasterKeyEnv</c>, read on every call;
    /// null when it is unset or empty (then the admin API does not exist).
    /// </summary>
    public string? MasterKey() => _env(Options.Auth.MasterKeyEnv) is { Length: > 0 } key ? key : null;

    /// <summary>The API keys, once <see cref="EnableApiKeys"/> has run (the gateway does so when <c>Auth:Mode</c> resolves to <c>keys</c>).</summary>
    public Storage.Access.KeyStore? Keys => _keys;

    /// <summary>
    /// Turns on API key authentication: loads the key pepper (<c>Auth:PepperEnv</c>, or with SQLite a <c>.pepper</c> file
    /// beside the ledger), checks it against the database's and returns the authenticator. Idempotent.
    /// </summary>
    /// <exception cref="SwitchyardConfigurationException">The pepper is missing, malformed or not the one the keys were hashed with.</exception>
    public Access.ApiKeyAuthenticator EnableApiKeys()
    {
        lock (_accessGate)
        {
            if (_authenticator is not null)
            {
                return _authenticator;
            }

            try
            {
                var hasher = Storage.Access.KeyStore.LoadHasher(Store.Database, _env, Options.Auth.PepperEnv);
                var file = Storage.Access.KeyStore.PepperFileFor(Store.Database);
                var source = Options.Auth.PepperEnv + (file is null ? "" : $" (unset: the file {file})");
                _keys = Storage.Access.KeyStore.Open(Store.Database, hasher, TimeProvider, source);
            }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or IOException or UnauthorizedAccessException or System.Data.Common.DbException)
            {
                throw new SwitchyardConfigurationException($"{SwitchyardOptions.SectionName}:Auth:PepperEnv: cannot check API keys: {ex.Message}");
            }

            _authenticator = new Access.ApiKeyAuthenticator(_keys, _keys.Hasher, TimeSpan.FromMilliseconds(Options.Auth.KeyCacheMilliseconds), TimeProvider);
            return _authenticator;
        }
    }

    /// <summary>Builds each route's strategy (loading trained routers and learned verifiers and calibrating their thresholds to the configured target).</summary>
    /// <summary>Hashes a pinned embedded file now (start-up waits for it) and describes a mismatch, or null when it matches.</summary>
    private static string? CheckPin(string providerId, Providers.Embedded.EmbeddedProviderFactory local, string pinned)
    {
        string actual;
        try
        {
            actual = local.Model.GetSha256Async().GetAwaiter().GetResult();
        }
        catch (IOException ex)
        {
            return $"{SwitchyardOptions.SectionName}:Providers:{providerId}:Sha256: cannot hash {local.Model.Path}: {ex.Message}";
        }

        return string.Equals(actual, pinned.Trim(), StringComparison.OrdinalIgnoreCase)
            ? null
            : $"{SwitchyardOptions.SectionName}:Providers:{providerId}:Sha256: {local.Model.Path} has sha256 {actual}, but the configuration pins {pinned.Trim().ToLowerInvariant()}; the file changed. Restore the pinned file, or pin the new hash if the change is intended.";
    }

    private static Dictionary<string, IRouteStrategy> CreateStrategies(SwitchyardOptions options, List<RouteCandidate> models, LearnedRouterLoader learned)
    {
        var strategies = new Dictionary<string, IRouteStrategy>(StringComparer.OrdinalIgnoreCase);
        var routers = new Dictionary<string, Routing.Difficulty.DifficultyRouterModel>(StringComparer.Ordinal);
        foreach (var (name, route) in options.Routes)
        {
            var key = $"{SwitchyardOptions.SectionName}:Routes:{name}:Strategy";
            var config = route.Strategy;
            switch (config?.Kind.Trim().ToLowerInvariant())
            {
                case RouteStrategyKinds.Difficulty:
                    try
                    {
                        if (Routing.Learners.LearnedRouterModel.IsLearnedRouterFile(config.Router!))
                        {
                            strategies[name] = learned.Create(config, route.Candidates, models);
                            break;
                        }

                        if (config.CostBudget is not null || config.Models is not null)
                        {
                            throw new ArgumentException($"{(config.CostBudget is not null ? "CostBudget" : "Models")} needs a learned router (switchyard.difficulty-router/2, from 'switchyard train-router'); this file is a hashed n-gram router (switchyard.difficulty-router/1).");
                        }

                        if (!routers.TryGetValue(config.Router!, out var router))
                        {
                            router = Routing.Difficulty.DifficultyRouterModel.Load(config.Router!);
                            routers[config.Router!] = router;
                        }

                        strategies[name] = Routing.Difficulty.DifficultyStrategy.Create(router, route.Candidates, config.StrongShare, config.QualityTarget);
                    }
                    catch (Exception ex) when (ex is FormatException or ArgumentException)
                    {
                        throw new SwitchyardConfigurationException($"{key}:Router: {ex.Message}");
                    }

                    break;
                case RouteStrategyKinds.Cascade:
                    Routing.Cascade.ICascadeVerifier? verifier = null;
                    if (string.Equals(config.Verifier?.Trim(), RouteStrategyKinds.Learned, StringComparison.OrdinalIgnoreCase))
                    {
                        try
                        {
                            verifier = learned.CreateVerifier(config);
                        }
                        catch (Exception ex) when (ex is FormatException or ArgumentException)
                        {
                            throw new SwitchyardConfigurationException($"{key}:VerifierModel: {ex.Message}");
                        }
                    }

                    strategies[name] = Routing.Cascade.CascadeStrategy.Create(config, route.Candidates, models, verifier);
                    break;
            }
        }

        return strategies;
    }

    /// <summary>Flushes the ledger and releases provider clients.</summary>
    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync().ConfigureAwait(false);
        _learned.Dispose();
        foreach (var factory in _factories)
        {
            factory.Dispose();
        }
    }
}
