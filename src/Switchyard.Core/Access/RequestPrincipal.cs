namespace Switchyard.Access;

/// <summary>
/// Who a request comes from: the API key it was authenticated with and that key's team. Built once at the edge and
/// read by every stage (authorization, privacy guard, budgets, rate limits, ledger); immutable.
/// </summary>
/// <param name="Key">The key.</param>
/// <param name="Team">Its team, if it has one.</param>
public sealed record RequestPrincipal(ApiKeyInfo Key, TeamInfo? Team)
{
    /// <summary>The key's id.</summary>
    public string KeyId => Key.Id;

    /// <summary>The key's printable prefix, <c>sk-sy-&lt;id&gt;</c>.</summary>
    public string KeyPrefix => Key.Prefix;

    /// <summary>The team's id, if any.</summary>
    public string? TeamId => Team?.Id;

    /// <summary>Data classes every request made with the key carries (the privacy guard adds them to its findings).</summary>
    public IReadOnlyList<string> DataClasses => Key.DataClasses;

    /// <summary>
    /// Whether the key may request <paramref name="name"/> (a model or a route): it must be in the key's list and in its
    /// team's list, where a missing list allows everything. Allowing a route allows whichever of its candidates serves.
    /// </summary>
    public bool MayRequest(string? name) =>
        name is not null && Allows(Key.AllowedModels, name) && Allows(Team?.AllowedModels, name);

    private static bool Allows(IReadOnlyList<string>? list, string name)
    {
        if (list is null)
        {
            return true;
        }

        foreach (var allowed in list)
        {
            if (string.Equals(allowed, name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
