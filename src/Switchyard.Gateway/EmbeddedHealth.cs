using System.Text.Json.Serialization;

namespace Switchyard.Gateway;

/// <summary>One in-process model in <c>GET /healthz</c>.</summary>
/// <param name="Provider">The embedded provider's id.</param>
/// <param name="Name">The model's name (GGUF <c>general.name</c> or the file name).</param>
/// <param name="File">The GGUF file.</param>
/// <param name="Architecture">e.g. <c>llama</c>, <c>qwen2</c>.</param>
/// <param name="Sha256">The file's SHA-256, or null while it is still being computed after start-up.</param>
/// <param name="Active">Generations running.</param>
/// <param name="Waiting">Requests waiting for a slot.</param>
/// <param name="DecodeTokensPerSecond">Recent decode speed of one generation.</param>
/// <param name="Pinned">Whether the configuration pins the file's hash (<c>Providers:&lt;id&gt;:Sha256</c>), checked at start-up.</param>
public sealed record EmbeddedHealth(
    [property: JsonPropertyName("provider")] string Provider,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("file")] string File,
    [property: JsonPropertyName("architecture")] string Architecture,
    [property: JsonPropertyName("sha256")] string? Sha256,
    [property: JsonPropertyName("active")] int Active,
    [property: JsonPropertyName("waiting")] int Waiting,
    [property: JsonPropertyName("decode_tokens_per_second")] double DecodeTokensPerSecond,
    [property: JsonPropertyName("pinned")] bool Pinned)
{
    /// <summary>Reads the current state of <paramref name="info"/>.</summary>
    public static EmbeddedHealth From(EmbeddedModelInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var hash = info.Model.GetSha256Async();
        return new EmbeddedHealth(
            info.ProviderId,
            info.Model.Name,
            info.Model.Path,
            info.Model.Hyperparameters.Architecture,
            hash.IsCompletedSuccessfully ? hash.Result : null,
            info.Load.Active,
            info.Load.Waiting,
            Math.Round(info.Load.DecodeTokensPerSecond, 1),
            info.PinnedSha256 is not null);
    }
}
