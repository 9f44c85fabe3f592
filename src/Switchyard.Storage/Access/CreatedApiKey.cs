using Switchyard.Access;

namespace Switchyard.Storage.Access;

/// <summary>A key just created: its stored form and its text, which exists nowhere else (show it once, never log it).</summary>
/// <param name="Info">The key as stored.</param>
/// <param name="Key">The whole key text, <c>sk-sy-&lt;id&gt;_&lt;secret&gt;</c>.</param>
public sealed record CreatedApiKey(ApiKeyInfo Info, string Key)
{
    /// <summary>The prefix only, so that logging the record never leaks the secret.</summary>
    public override string ToString() => Info.Prefix;
}
