using Switchyard.Local.Models;
using Switchyard.Routing;

namespace Switchyard.Gateway;

/// <summary>A model the runtime runs in process: which provider, the loaded model, and its live load.</summary>
/// <param name="ProviderId">The embedded provider's id in the configuration.</param>
/// <param name="Model">The loaded model (file, shape, tokenizer, SHA-256).</param>
/// <param name="Load">Running and waiting requests and recent speed.</param>
/// <param name="PinnedSha256">The hash the configuration pins the file to (checked at start-up), or null.</param>
public sealed record EmbeddedModelInfo(string ProviderId, TransformerModel Model, ILoadSignal Load, string? PinnedSha256 = null);
