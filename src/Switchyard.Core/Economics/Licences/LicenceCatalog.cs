using System.Text.Json;
using System.Text.RegularExpressions;

namespace Switchyard.Economics.Licences;

/// <summary>A deciding clause of a licence, quoted exactly, with where it was read.</summary>
/// <param name="Topic">What it decides (e.g. <c>user_cap</c>, <c>attribution</c>, <c>outputs_for_other_models</c>).</param>
/// <param name="Text">The quote.</param>
/// <param name="Source">The page or file it was read from.</param>
public sealed record LicenceClause(string Topic, string Text, string Source);

/// <summary>One model family's licence and openness (<c>catalog/licences/licences.json</c>); unknown facts are "unknown", never guessed.</summary>
public sealed record LicenceEntry(
    string Family,
    string LicenceId,
    string LicenceName,
    string? LicenceUrl,
    string CommercialUse,
    long? UserCapMonthlyActiveUsers,
    string? UseRestrictions,
    string? UseRestrictionsUrl,
    string? Attribution,
    string OutputsMayTrainOtherModels,
    string OpennessLevel,
    IReadOnlyList<LicenceClause> Clauses,
    IReadOnlyList<string> Sources)
{
    internal IReadOnlyList<Regex> Names { get; init; } = [];

    internal IReadOnlyList<Regex> ExcludedNames { get; init; } = [];

    internal IReadOnlyList<Regex> Repos { get; init; } = [];

    internal IReadOnlyList<Regex> ApiModels { get; init; } = [];

    internal IReadOnlyList<string> SizeLabels { get; init; } = [];

    internal IReadOnlyList<string> ExcludedSizeLabels { get; init; } = [];

    /// <summary>The first clause on <paramref name="topic"/>, if the entry quotes one.</summary>
    public LicenceClause? Clause(string topic) => Clauses.FirstOrDefault(c => string.Equals(c.Topic, topic, StringComparison.Ordinal));
}

/// <summary>
/// The licence and openness catalog shipped with Switchyard (<c>catalog/licences/licences.json</c>, sources per entry),
/// and matching a model to its family: a hosted model by its API id, a self-hosted one by its name or repository
/// (GGUF <c>general.name</c>, <c>general.basename</c> + <c>general.size_label</c>, a Hugging Face repo id), in file
/// order, first match wins. No match is an unknown licence, never a guess from the architecture.
/// </summary>
public sealed class LicenceCatalog
{
    /// <summary>The embedded resource's name.</summary>
    public const string ResourceName = "Switchyard.Economics.Licences.licences.json";

    private LicenceCatalog(IReadOnlyList<LicenceEntry> entries) => Entries = entries;

    /// <summary>The entries, in matching order.</summary>
    public IReadOnlyList<LicenceEntry> Entries { get; }

    /// <summary>The shipped catalog.</summary>
    public static LicenceCatalog LoadDefault()
    {
        using var stream = typeof(LicenceCatalog).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The licence catalog resource '{ResourceName}' is missing.");
        using var doc = JsonDocument.Parse(stream);
        var entries = new List<LicenceEntry>();
        foreach (var e in doc.RootElement.GetProperty("entries").EnumerateArray())
        {
            var licence = e.GetProperty("licence");
            var match = e.GetProperty("match");
            var restrictions = e.TryGetProperty("use_restrictions", out var r) && r.ValueKind == JsonValueKind.Object ? r : default;
            entries.Add(new LicenceEntry(
                Str(e, "family")!,
                Str(licence, "id") ?? "unknown",
                Str(licence, "name") ?? "unknown",
                Str(licence, "url"),
                Str(e, "commercial_use") ?? "unknown",
                e.TryGetProperty("user_cap_monthly_active_users", out var cap) && cap.ValueKind == JsonValueKind.Number && cap.TryGetInt64(out var n) ? n : null,
                restrictions.ValueKind == JsonValueKind.Object ? Str(restrictions, "summary") : null,
                restrictions.ValueKind == JsonValueKind.Object ? Str(restrictions, "policy_url") : null,
                Str(e, "attribution"),
                Str(e, "outputs_may_train_other_models") ?? "unknown",
                Str(e, "openness_level") ?? "unknown",
                [.. (e.TryGetProperty("clauses", out var cs) ? cs.EnumerateArray() : default(JsonElement.ArrayEnumerator)).Select(c => new LicenceClause(Str(c, "topic") ?? "", Str(c, "text") ?? "", Str(c, "source") ?? ""))],
                [.. (e.TryGetProperty("sources", out var ss) ? ss.EnumerateArray() : default(JsonElement.ArrayEnumerator)).Select(s => s.GetString() ?? "")])
            {
                Names = Globs(match, "general_name_patterns"),
                ExcludedNames = Globs(match, "exclude_name_patterns"),
                Repos = Globs(match, "hf_repo_patterns"),
                ApiModels = Globs(match, "api_model_patterns"),
                SizeLabels = Strings(match, "size_labels"),
                ExcludedSizeLabels = Strings(match, "exclude_size_labels"),
            });
        }

        return new LicenceCatalog(entries);
    }

    /// <summary>The family of a hosted model id (<c>gpt-4o-2024-08-06</c>, <c>claude-sonnet-4-5</c>), or a self-hosted model named by its repository (<c>meta-llama/Llama-3.1-8B-Instruct</c>).</summary>
    public LicenceEntry? MatchModelId(string modelId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        var id = modelId.Trim();
        var name = Normalise(id.Contains('/', StringComparison.Ordinal) ? id[(id.LastIndexOf('/') + 1)..] : id);
        return Entries.FirstOrDefault(e => e.ApiModels.Any(g => g.IsMatch(id)))
            ?? Entries.FirstOrDefault(e => e.Repos.Any(g => g.IsMatch(id)) && !e.ExcludedNames.Any(g => g.IsMatch(name)) && SizeFits(e, SizeOf(name)))
            ?? Entries.FirstOrDefault(e => e.Names.Any(g => g.IsMatch(name)) && !e.ExcludedNames.Any(g => g.IsMatch(name)) && SizeFits(e, SizeOf(name)));
    }

    /// <summary>The family of a GGUF file from its metadata (<c>general.name</c>, <c>general.basename</c>, <c>general.size_label</c>, base models' names).</summary>
    public LicenceEntry? MatchGguf(string? generalName, string? basename, string? sizeLabel, IEnumerable<string>? baseModelNames = null)
    {
        var names = new List<string>();
        if (!string.IsNullOrWhiteSpace(generalName))
        {
            names.Add(Normalise(generalName));
        }

        if (!string.IsNullOrWhiteSpace(basename))
        {
            names.Add(Normalise(basename + (string.IsNullOrWhiteSpace(sizeLabel) ? "" : "-" + sizeLabel)));
        }

        names.AddRange((baseModelNames ?? []).Where(n => !string.IsNullOrWhiteSpace(n)).Select(Normalise));
        var size = sizeLabel ?? names.Select(SizeOf).FirstOrDefault(s => s is not null);
        return Entries.FirstOrDefault(e => names.Any(n => e.Names.Any(g => g.IsMatch(n))) && !names.Any(n => e.ExcludedNames.Any(g => g.IsMatch(n))) && SizeFits(e, size));
    }

    private static bool SizeFits(LicenceEntry e, string? size) =>
        (e.SizeLabels.Count == 0 || (size is not null && e.SizeLabels.Contains(size, StringComparer.OrdinalIgnoreCase)))
        && (size is null || !e.ExcludedSizeLabels.Contains(size, StringComparer.OrdinalIgnoreCase));

    private static string? SizeOf(string name) => Regex.Match(name, @"(?<![a-z0-9.])(\d+(\.\d+)?b)(?![a-z0-9])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant) is { Success: true } m ? m.Groups[1].Value.ToUpperInvariant() : null;

    private static string Normalise(string name) => Regex.Replace(name.Trim().ToLowerInvariant(), @"[\s_]+", "-");

    private static List<Regex> Globs(JsonElement match, string name) =>
        [.. Strings(match, name).Select(p => new Regex("^" + Regex.Escape(p.ToLowerInvariant()).Replace("\\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant))];

    private static List<string> Strings(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var a) && a.ValueKind == JsonValueKind.Array ? [.. a.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!)] : [];

    private static string? Str(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
