namespace Switchyard.Access;

/// <summary>A freshly generated virtual API key. <see cref="Key"/> is shown to its owner once and never stored or logged.</summary>
/// <param name="Id">The key's 10-character Crockford base32 id, its primary key in the store.</param>
/// <param name="Key">The whole key text, <c>sk-sy-&lt;id&gt;_&lt;secret&gt;</c>.</param>
public sealed record GeneratedApiKey(string Id, string Key)
{
    /// <summary><c>sk-sy-&lt;id&gt;</c>: the only part of the key shown in logs and the ledger.</summary>
    public string Prefix => ApiKeyFormat.PrefixOf(Id);

    /// <summary>The prefix only, so that logging the record never leaks the secret.</summary>
    public override string ToString() => Prefix;
}
