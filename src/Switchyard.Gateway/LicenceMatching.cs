using Switchyard.Configuration;
using Switchyard.Economics.Licences;

namespace Switchyard.Gateway;

/// <summary>Finds each configured model's licence family: an embedded model by its GGUF metadata, any other by its upstream model id.</summary>
public static class LicenceMatching
{
    /// <summary>The licence entry of one configured model, or null when the catalog does not know it.</summary>
    public static LicenceEntry? Match(LicenceCatalog catalog, ProviderConfig provider, string upstreamModel)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(provider);
        if (string.Equals(provider.Kind, ProviderKinds.Embedded, StringComparison.OrdinalIgnoreCase) && provider.Model is { } path)
        {
            try
            {
                using var gguf = Local.Gguf.GgufFile.Open(path);
                var m = gguf.Metadata;
                string? Get(string key) => m.TryGetString(key, out var v) ? v : null;
                var bases = Enumerable.Range(0, 4).Select(i => Get($"general.base_model.{i}.name")).OfType<string>();
                return catalog.MatchGguf(Get("general.name"), Get("general.basename"), Get("general.size_label"), bases);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Local.Gguf.GgufFormatException)
            {
                return null;
            }
        }

        return string.Equals(provider.Kind, ProviderKinds.MiniLm, StringComparison.OrdinalIgnoreCase) ? null : catalog.MatchModelId(upstreamModel);
    }

    /// <summary>Every configured model's verdict under <paramref name="deployment"/>, by model name.</summary>
    public static IReadOnlyList<(string Model, LicenceEntry? Entry, ComplianceResult Result)> Check(SwitchyardOptions options, Deployment deployment, LicenceCatalog? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        catalog ??= LicenceCatalog.LoadDefault();
        var results = new List<(string, LicenceEntry?, ComplianceResult)>();
        foreach (var (name, model) in options.Models.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            var entry = Match(catalog, options.Providers[model.Provider!], string.IsNullOrWhiteSpace(model.UpstreamModel) ? name : model.UpstreamModel);
            results.Add((name, entry, Compliance.Evaluate(entry, deployment)));
        }

        return results;
    }
}
