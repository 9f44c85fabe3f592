namespace Switchyard.Configuration;

/// <summary>Prices of one model in US dollars per million tokens.</summary>
public sealed class ModelPrice
{
    /// <summary>Uncached input tokens.</summary>
    public decimal Input { get; set; }

    /// <summary>Output tokens.</summary>
    public decimal Output { get; set; }

    /// <summary>Input tokens read from the provider's prompt cache; defaults to <see cref="Input"/> when not set.</summary>
    public decimal? CachedInput { get; set; }

    /// <summary>Price per million input tokens written to the provider's prompt cache (Anthropic: 1.25× input for 5-minute entries); the input price when unset.</summary>
    public decimal? CacheWrite { get; set; }

    /// <summary>Prompt length (tokens) above which the long-context rates apply (e.g. 200000 for Gemini 2.5 Pro); set together with <see cref="LongContextInput"/> and <see cref="LongContextOutput"/>.</summary>
    public long? LongContextThreshold { get; set; }

    /// <summary>Input price per million tokens for a prompt longer than <see cref="LongContextThreshold"/>.</summary>
    public decimal? LongContextInput { get; set; }

    /// <summary>Output price per million tokens when the prompt is longer than <see cref="LongContextThreshold"/>.</summary>
    public decimal? LongContextOutput { get; set; }
}
