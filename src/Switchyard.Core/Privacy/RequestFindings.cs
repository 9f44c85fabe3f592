namespace Switchyard.Privacy;

/// <summary>What the guard found in one request: counts per class, where each finding was, and which classes pseudonymisation cannot remove.</summary>
internal sealed class RequestFindings
{
    /// <summary>At most this many locations are recorded per request (the counts stay exact).</summary>
    public const int MaxLocations = 64;

    /// <summary>Findings per data class.</summary>
    public Dictionary<string, int> Classes { get; } = new(StringComparer.Ordinal);

    /// <summary>Where the findings were, first <see cref="MaxLocations"/>.</summary>
    public List<PrivacyLocation> Locations { get; } = [];

    /// <summary>Classes with a finding that a placeholder cannot replace (declared, outside message text, split, unreadable).</summary>
    public HashSet<string> NotPseudonymizable { get; } = new(StringComparer.Ordinal);

    /// <summary>Texts scanned alone with nothing found (the egress check skips scanning them again).</summary>
    public HashSet<string> Clean { get; } = new(StringComparer.Ordinal);

    /// <summary>Records one finding of <paramref name="dataClass"/> at <paramref name="path"/> (null: declared).</summary>
    public void Add(string dataClass, string? path, bool pseudonymizable)
    {
        Classes[dataClass] = Classes.GetValueOrDefault(dataClass) + 1;
        if (!pseudonymizable)
        {
            NotPseudonymizable.Add(dataClass);
        }

        if (path is not null && Locations.Count < MaxLocations)
        {
            Locations.Add(new PrivacyLocation(dataClass, path));
        }
    }
}
