namespace Switchyard.Configuration;

/// <summary>
/// Validates a whole <see cref="SwitchyardOptions"/> and reports every problem at once, each naming the
/// configuration key (e.g. <c>Switchyard:Models:gpt-4o:Provider</c>) and what is wrong with it.
/// </summary>
public static class SwitchyardOptionsValidator
{
    /// <summary>Returns every problem found; empty when the options are valid.</summary>
    /// <remarks>All checks run without short-circuiting so that one pass reports all errors.</remarks>
    public static IReadOnlyList<string> Validate(SwitchyardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        const string root = SwitchyardOptions.SectionName;

        foreach (var (id, p) in options.Providers)
        {
            var key = $"{root}:Providers:{id}";
            if (p is null)
            {
                errors.Add($"{key}: the provider has no settings.");
                continue;
            }

            if (string.IsNullOrWhiteSpace(p.Kind))
            {
                errors.Add($"{key}:Kind: required; one of {string.Join(", ", ProviderKinds.All)}.");
            }
            else if (!ProviderKinds.All.Contains(p.Kind, StringComparer.OrdinalIgnoreCase))
            {
                errors.Add($"{key}:Kind: '{p.Kind}' is not a known provider kind; use one of {string.Join(", ", ProviderKinds.All)}.");
            }

            if (string.IsNullOrWhiteSpace(p.BaseUrl))
            {
                if (string.Equals(p.Kind, ProviderKinds.OpenAICompatible, StringComparison.OrdinalIgnoreCase))
                {
                    errors.Add($"{key}:BaseUrl: required for an openai-compatible provider (e.g. http://127.0.0.1:8000/v1).");
                }
            }
            else if (!Uri.TryCreate(p.BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                errors.Add($"{key}:BaseUrl: '{p.BaseUrl}' is not an absolute http(s) URL.");
            }

            var hosted = string.Equals(p.Kind, ProviderKinds.OpenAI, StringComparison.OrdinalIgnoreCase) || string.Equals(p.Kind, ProviderKinds.Anthropic, StringComparison.OrdinalIgnoreCase);
            if (string.IsNullOrWhiteSpace(p.Zone) && hosted)
            {
                errors.Add($"{key}:Zone: required for a hosted provider (e.g. \"us\" or \"eu\"); \"self\" means inside your boundary.");
            }

            if (string.Equals(p.Kind, ProviderKinds.MiniLm, StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(p.BaseUrl))
            {
                errors.Add($"{key}:BaseUrl: a minilm provider runs in process and has no URL; remove it.");
            }

            if (string.Equals(p.Kind, ProviderKinds.Embedded, StringComparison.OrdinalIgnoreCase))
            {
                if (string.IsNullOrWhiteSpace(p.Model))
                {
                    errors.Add($"{key}:Model: required for an embedded provider: the path of a GGUF file (e.g. models/stories260K.gguf).");
                }

                if (!string.IsNullOrWhiteSpace(p.BaseUrl))
                {
                    errors.Add($"{key}:BaseUrl: an embedded provider runs in process and has no URL; remove it or use Kind openai-compatible.");
                }

                Range(errors, $"{key}:ContextLength", p.ContextLength, 16, 1 << 20);
                Range(errors, $"{key}:MaxParallel", p.MaxParallel, 1, 64);
                Range(errors, $"{key}:MaxQueue", p.MaxQueue, 0, 10_000);
                if (p.QueueFullStatus is not (429 or 503))
                {
                    errors.Add($"{key}:QueueFullStatus: {p.QueueFullStatus} is not allowed; use 429 or 503.");
                }
            }
            else if (!string.IsNullOrWhiteSpace(p.Model))
            {
                errors.Add($"{key}:Model: only an embedded provider takes a model file; name upstream models under Models:<name>:UpstreamModel.");
            }

            if (p.Sha256 is { } pin)
            {
                if (!string.Equals(p.Kind, ProviderKinds.Embedded, StringComparison.OrdinalIgnoreCase))
                {
                    errors.Add($"{key}:Sha256: only an embedded provider's file can be pinned; pin a hosted model with a dated UpstreamModel.");
                }
                else if (pin.Length != 64 || !pin.All(char.IsAsciiHexDigit))
                {
                    errors.Add($"{key}:Sha256: '{pin}' is not a SHA-256 (64 hex digits; 'sha256sum FILE' prints it).");
                }
            }

            Range(errors, $"{key}:TimeoutSeconds", p.TimeoutSeconds, 1, 3600);
            Range(errors, $"{key}:MaxRetries", p.MaxRetries, 0, 10);
            Range(errors, $"{key}:RetryBaseDelayMs", p.RetryBaseDelayMs, 0, 60_000);
            Range(errors, $"{key}:CircuitFailureThreshold", p.CircuitFailureThreshold, 1, 1000);
            Range(errors, $"{key}:CircuitBreakSeconds", p.CircuitBreakSeconds, 1, 3600);
        }

        foreach (var (name, m) in options.Models)
        {
            var key = $"{root}:Models:{name}";
            if (m is null)
            {
                errors.Add($"{key}: the model has no settings.");
                continue;
            }

            if (string.IsNullOrWhiteSpace(m.Provider))
            {
                errors.Add($"{key}:Provider: required; name one of the configured providers ({Known(options.Providers.Keys)}).");
            }
            else if (!options.Providers.ContainsKey(m.Provider))
            {
                errors.Add($"{key}:Provider: '{m.Provider}' is not a configured provider ({Known(options.Providers.Keys)}).");
            }

            var providerKind = m.Provider is not null && options.Providers.TryGetValue(m.Provider, out var provider) ? provider?.Kind?.Trim().ToLowerInvariant() : null;
            if (!ModelKinds.All.Contains(m.Kind?.Trim() ?? "", StringComparer.OrdinalIgnoreCase))
            {
                errors.Add($"{key}:Kind: '{m.Kind}' is not a model kind; use one of {string.Join(", ", ModelKinds.All)}.");
            }
            else if (ModelKinds.IsEmbedding(m.Kind))
            {
                if (providerKind is not null && ProviderKinds.All.Contains(providerKind) && !ProviderKinds.ServesEmbeddings(providerKind))
                {
                    errors.Add($"{key}:Kind: a{(providerKind == ProviderKinds.Anthropic ? "n" : "")} {providerKind} provider serves no embeddings; use an openai, openai-compatible or minilm provider.");
                }

                if (m.MaxOutputTokens is not null)
                {
                    errors.Add($"{key}:MaxOutputTokens: an embedding model produces no output tokens; remove it.");
                }
            }
            else if (providerKind == ProviderKinds.MiniLm)
            {
                errors.Add($"{key}:Kind: a minilm provider serves only embeddings; set Kind to \"embedding\".");
            }

            if (m.Price is { } price)
            {
                NotNegative(errors, $"{key}:Price:Input", price.Input);
                NotNegative(errors, $"{key}:Price:Output", price.Output);
                NotNegative(errors, $"{key}:Price:CachedInput", price.CachedInput ?? 0);
                NotNegative(errors, $"{key}:Price:CacheWrite", price.CacheWrite ?? 0);
                if ((price.LongContextThreshold is null) != (price.LongContextInput is null) || (price.LongContextInput is null) != (price.LongContextOutput is null))
                {
                    errors.Add($"{key}:Price:LongContextThreshold: set LongContextThreshold, LongContextInput and LongContextOutput together, or none.");
                }
                else if (price.LongContextThreshold is { } threshold)
                {
                    Range(errors, $"{key}:Price:LongContextThreshold", threshold, 1, 100_000_000);
                    NotNegative(errors, $"{key}:Price:LongContextInput", price.LongContextInput!.Value);
                    NotNegative(errors, $"{key}:Price:LongContextOutput", price.LongContextOutput!.Value);
                }
            }
        }

        foreach (var (name, r) in options.Routes)
        {
            var key = $"{root}:Routes:{name}";
            if (options.Models.ContainsKey(name))
            {
                errors.Add($"{key}: '{name}' is also a model name; a requested name must mean one thing.");
            }

            if (r is null || r.Candidates.Count == 0)
            {
                errors.Add($"{key}:Candidates: a route needs at least one candidate model.");
                continue;
            }

            for (var i = 0; i < r.DataClasses.Count; i++)
            {
                if (!IsDataClassName(r.DataClasses[i]) || r.DataClasses[i] == "*")
                {
                    errors.Add($"{key}:DataClasses:{i}: '{r.DataClasses[i]}' is not a data class name (lower-case letters, digits and '_').");
                }
            }

            for (var i = 0; i < r.Candidates.Count; i++)
            {
                var candidate = r.Candidates[i];
                if (!options.Models.ContainsKey(candidate))
                {
                    errors.Add($"{key}:Candidates:{i}: '{candidate}' is not a configured model ({Known(options.Models.Keys)}).");
                }
            }

            var kinds = r.Candidates.Where(options.Models.ContainsKey).Select(c => ModelKinds.IsEmbedding(options.Models[c]?.Kind)).Distinct().ToList();
            if (kinds.Count > 1)
            {
                errors.Add($"{key}:Candidates: mixes chat and embedding models; a route serves one kind.");
            }
            else if (kinds is [true])
            {
                if (r.Strategy is { Kind: var strategyKind } && !string.Equals(strategyKind?.Trim(), RouteStrategyKinds.Ordered, StringComparison.OrdinalIgnoreCase))
                {
                    errors.Add($"{key}:Strategy: an embedding route is tried in order; '{strategyKind}' judges chat answers.");
                }

                if (r.Pseudonymize)
                {
                    errors.Add($"{key}:Pseudonymize: placeholders would change the embeddings; an embedding route cannot pseudonymize.");
                }
            }

            if (r.Strategy is { } strategy)
            {
                ValidateStrategy(errors, $"{key}:Strategy", strategy, r, options);
            }
        }

        if (options.Compliance.MonthlyActiveUsers is < 0)
        {
            errors.Add($"{root}:Compliance:MonthlyActiveUsers: must be 0 or more.");
        }

        ValidateStorage(errors, $"{root}:Storage", options);
        if (options.Auth.Mode?.Trim().ToLowerInvariant() is not (AuthModes.Auto or AuthModes.Keys or AuthModes.Open))
        {
            errors.Add($"{root}:Auth:Mode: '{options.Auth.Mode}' is not an auth mode (auto, keys, open).");
        }

        foreach (var (name, value) in new[] { ("MasterKeyEnv", options.Auth.MasterKeyEnv), ("PepperEnv", options.Auth.PepperEnv) })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                errors.Add($"{root}:Auth:{name}: required: the name of an environment variable.");
            }
            else if (value.StartsWith("sk-", StringComparison.Ordinal) || value.Length > 64 || value.Any(c => !(char.IsAsciiLetterOrDigit(c) || c == '_')))
            {
                errors.Add($"{root}:Auth:{name}: '{(value.Length > 8 ? value[..6] + "…" : value)}' is not an environment variable name: name the variable that holds the secret, never the secret itself.");
            }
        }

        foreach (var (name, model) in options.Models)
        {
            if (model.MaxOutputTokens is { } max)
            {
                Range(errors, $"{root}:Models:{name}:MaxOutputTokens", max, 1, 1_000_000);
            }

            if (model.Rpm is { } rpm)
            {
                Range(errors, $"{root}:Models:{name}:Rpm", rpm, 1, 10_000_000);
            }

            if (model.Tpm is { } tpm)
            {
                Range(errors, $"{root}:Models:{name}:Tpm", tpm, 1, 1_000_000_000_000);
            }
        }

        if (options.Budgets.WhenStoreDown?.Trim().ToLowerInvariant() is not ("closed" or "open"))
        {
            errors.Add($"{root}:Budgets:WhenStoreDown: '{options.Budgets.WhenStoreDown}' is not closed or open.");
        }

        Range(errors, $"{root}:Auth:KeyCacheMilliseconds", options.Auth.KeyCacheMilliseconds, 0, 60_000);

        ValidatePrivacy(errors, $"{root}:Privacy", options.Privacy);
        foreach (var (id, price) in options.Pricing.Models)
        {
            var key = $"{root}:Pricing:Models:{id}";
            NotNegative(errors, $"{key}:Input", price.Input);
            NotNegative(errors, $"{key}:Output", price.Output);
            if (!DateOnly.TryParseExact(price.Observed, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _))
            {
                errors.Add($"{key}:Observed: '{price.Observed}' is not a date (yyyy-MM-dd): say when the price was observed.");
            }

            if (string.IsNullOrWhiteSpace(price.Source))
            {
                errors.Add($"{key}:Source: required: the price page the prices were read from.");
            }
        }

        Range(errors, $"{root}:Ledger:QueueCapacity", options.Ledger.QueueCapacity, 16, 1_000_000);
        Range(errors, $"{root}:Limits:MaxRequestBodyBytes", options.Limits.MaxRequestBodyBytes, 1024, 256L * 1024 * 1024);
        Range(errors, $"{root}:Limits:RequestTimeoutSeconds", options.Limits.RequestTimeoutSeconds, 1, 86_400);
        Range(errors, $"{root}:Embeddings:CacheSize", options.Embeddings.CacheSize, 0, 10_000_000);
        Range(errors, $"{root}:Embeddings:Threads", options.Embeddings.Threads, 1, 64);
        return errors;
    }

    private static void ValidateStorage(List<string> errors, string key, SwitchyardOptions options)
    {
        var storage = options.Storage;
        switch (storage.Provider?.Trim().ToLowerInvariant())
        {
            case StorageProviders.Sqlite:
                if (string.IsNullOrWhiteSpace(options.Ledger.Path))
                {
                    errors.Add($"{SwitchyardOptions.SectionName}:Ledger:Path: required (a SQLite file path).");
                }

                break;
            case StorageProviders.Postgres:
                if (string.IsNullOrWhiteSpace(storage.ConnectionString) && string.IsNullOrWhiteSpace(storage.ConnectionStringEnv))
                {
                    errors.Add($"{key}:ConnectionString: required with Provider 'postgres' (or ConnectionStringEnv naming the variable that holds it).");
                }

                break;
            default:
                errors.Add($"{key}:Provider: '{storage.Provider}' is not a storage provider (sqlite, postgres).");
                break;
        }
    }

    private static void ValidateStrategy(List<string> errors, string key, RouteStrategyConfig s, RouteConfig route, SwitchyardOptions options)
    {
        var kind = s.Kind?.Trim().ToLowerInvariant();
        switch (kind)
        {
            case RouteStrategyKinds.Ordered:
                break;
            case RouteStrategyKinds.Difficulty:
                if (route.Candidates.Count < 2)
                {
                    errors.Add($"{key}:Kind: difficulty routing needs at least two candidates, cheapest first.");
                }

                if (string.IsNullOrWhiteSpace(s.Router))
                {
                    errors.Add($"{key}:Router: required for difficulty routing (a file written by 'switchyard train-router').");
                }

                try
                {
                    Routing.Difficulty.RouteTarget.From(s.StrongShare, s.QualityTarget, s.CostBudget);
                }
                catch (ArgumentException ex)
                {
                    errors.Add($"{key}: {ex.Message}");
                }

                if (s.Models is { } mapped && mapped.Count != route.Candidates.Count)
                {
                    errors.Add($"{key}:Models: names {mapped.Count} router models for {route.Candidates.Count} candidates; give one per candidate, in order.");
                }

                break;
            case RouteStrategyKinds.Cascade:
                if (route.Candidates.Count < 2)
                {
                    errors.Add($"{key}:Kind: a cascade needs at least two candidates, cheapest first.");
                }

                var verifier = s.Verifier?.Trim().ToLowerInvariant();
                if (verifier != RouteStrategyKinds.Learned && !(s.Threshold is >= 0 and <= 1))
                {
                    errors.Add($"{key}:Threshold: {s.Threshold} is outside 0–1.");
                }

                switch (verifier)
                {
                    case RouteStrategyKinds.Judge:
                        if (string.IsNullOrWhiteSpace(s.Judge) || !options.Models.ContainsKey(s.Judge))
                        {
                            errors.Add($"{key}:Judge: '{s.Judge}' is not a configured model ({Known(options.Models.Keys)}).");
                        }

                        break;
                    case RouteStrategyKinds.SelfConsistency:
                        Range(errors, $"{key}:Samples", s.Samples, 1, 10);
                        break;
                    case RouteStrategyKinds.Learned:
                        ValidateLearnedVerifier(errors, key, s);
                        break;
                    default:
                        errors.Add($"{key}:Verifier: '{s.Verifier}' is not a verifier (judge, self_consistency, learned).");
                        break;
                }

                break;
            default:
                errors.Add($"{key}:Kind: '{s.Kind}' is not a strategy (ordered, difficulty, cascade).");
                break;
        }
    }

    /// <summary>A learned cascade verifier needs its file and exactly one calibration target (its <c>Threshold</c> is not used).</summary>
    private static void ValidateLearnedVerifier(List<string> errors, string key, RouteStrategyConfig s)
    {
        if (string.IsNullOrWhiteSpace(s.VerifierModel))
        {
            errors.Add($"{key}:VerifierModel: required for the learned verifier (a file written by 'switchyard train-verifier').");
        }

        if (s.CostBudget is not null)
        {
            errors.Add($"{key}:CostBudget: the learned verifier is calibrated to StrongShare or QualityTarget, not to a cost budget.");
        }
        else if ((s.StrongShare is null) == (s.QualityTarget is null))
        {
            errors.Add($"{key}: the learned verifier needs exactly one target: StrongShare (the share of cheap answers to escalate, 0–1) or QualityTarget (the fraction of the quality gap to recover, PGR 0–1).");
        }

        if (s.StrongShare is { } share && !(share is >= 0 and <= 1))
        {
            errors.Add($"{key}:StrongShare: {share} is outside 0–1.");
        }

        if (s.QualityTarget is { } pgr && !(pgr is >= 0 and <= 1))
        {
            errors.Add($"{key}:QualityTarget: {pgr} is outside 0–1.");
        }
    }

    /// <summary>Throws <see cref="SwitchyardConfigurationException"/> listing every problem, if there are any.</summary>
    public static void ThrowIfInvalid(SwitchyardOptions options)
    {
        var errors = Validate(options);
        if (errors.Count > 0)
        {
            throw new SwitchyardConfigurationException(errors);
        }
    }

    private static void ValidatePrivacy(List<string> errors, string key, PrivacyConfig privacy)
    {
        for (var i = 0; i < privacy.InsideZones.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(privacy.InsideZones[i]))
            {
                errors.Add($"{key}:InsideZones:{i}: a zone name is required (e.g. self, eu).");
            }
        }

        foreach (var (name, custom) in privacy.CustomClasses)
        {
            var classKey = $"{key}:CustomClasses:{name}";
            if (!IsDataClassName(name) || name == "*")
            {
                errors.Add($"{classKey}: '{name}' is not a data class name (lower-case letters, digits and '_').");
            }

            if (custom is null || (custom.Terms.All(string.IsNullOrWhiteSpace) && custom.Patterns.All(string.IsNullOrEmpty)))
            {
                errors.Add($"{classKey}: needs at least one entry in Terms or Patterns.");
                continue;
            }

            for (var j = 0; j < custom.Patterns.Count; j++)
            {
                try
                {
                    _ = new System.Text.RegularExpressions.Regex(custom.Patterns[j], System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
                }
                catch (ArgumentException ex)
                {
                    errors.Add($"{classKey}:Patterns:{j}: not a valid regular expression: {ex.Message}");
                }
            }
        }

        for (var i = 0; i < privacy.Rules.Count; i++)
        {
            var rule = privacy.Rules[i];
            var ruleKey = $"{key}:Rules:{i}";
            if (rule is null)
            {
                errors.Add($"{ruleKey}: a rule needs Classes and Zones.");
                continue;
            }

            if (rule.Classes.Count == 0)
            {
                errors.Add($"{ruleKey}:Classes: required: the data classes the rule covers (e.g. email, secret) or \"*\" for all.");
            }

            for (var j = 0; j < rule.Classes.Count; j++)
            {
                if (!IsDataClassName(rule.Classes[j]))
                {
                    errors.Add($"{ruleKey}:Classes:{j}: '{rule.Classes[j]}' is not a data class name (lower-case letters, digits and '_', or \"*\").");
                }
            }

            if (rule.Zones.Count == 0 || rule.Zones.Any(string.IsNullOrWhiteSpace))
            {
                errors.Add($"{ruleKey}:Zones: required: the zones allowed to serve requests carrying these classes (e.g. self).");
            }
        }
    }

    private static bool IsDataClassName(string? name) =>
        name == "*" || (!string.IsNullOrEmpty(name) && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_'));

    private static string Known(IEnumerable<string> names)
    {
        var list = string.Join(", ", names);
        return list.Length == 0 ? "none configured" : "configured: " + list;
    }

    private static void Range(List<string> errors, string key, double value, double min, double max)
    {
        if (double.IsNaN(value) || value < min || value > max)
        {
            errors.Add($"{key}: {value} is out of range; allowed {min}–{max}.");
        }
    }

    private static void NotNegative(List<string> errors, string key, decimal value)
    {
        if (value < 0)
        {
            errors.Add($"{key}: a price cannot be negative ({value}).");
        }
    }
}
