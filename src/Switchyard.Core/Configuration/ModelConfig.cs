namespace Switchyard.Configuration;

/// <summary>A model clients may request by name, served by one provider.</summary>
public sealed class ModelConfig
{
    /// <summary>Id of the provider in <see cref="SwitchyardOptions.Providers"/>.</summary>
    public string? Provider { get; set; }

    /// <summary>The model name sent upstream. Defaults to the configured model name.</summary>
    public string? UpstreamModel { get; set; }

    /// <summary>
    /// What the model does: <c>chat</c> (default; served on the chat endpoints) or <c>embedding</c> (served on
    /// <c>/v1/embeddings</c> only, by an <c>openai</c>, <c>openai-compatible</c> or <c>minilm</c> provider).
    /// </summary>
    public string Kind { get; set; } = ModelKinds.Chat;

    /// <summary>Zone override for this model; defaults to the provider's zone.</summary>
    public string? Zone { get; set; }

    /// <summary>Prices in US dollars per million tokens, used to cost every request. When absent, the price catalog's price for the upstream model (<c>Pricing</c>), else zero.</summary>
    public ModelPrice? Price { get; set; }

    /// <summary>
    /// The most output tokens the model produces when a request sets no <c>max_tokens</c>: the output half of the
    /// worst-case cost a budget reserves before the call. Default 4096; range 1–1000000.
    /// </summary>
    public int? MaxOutputTokens { get; set; }

    /// <summary>Requests per minute this model takes from the gateway (all instances, all keys); at the limit the route's next candidate serves. Null: unlimited.</summary>
    public int? Rpm { get; set; }

    /// <summary>Tokens (input + output) per minute this model takes from the gateway, like <see cref="Rpm"/>. Null: unlimited.</summary>
    public long? Tpm { get; set; }
}
