namespace Switchyard.Configuration;

/// <summary>One hosted model's prices, US dollars per million tokens, as observed on the provider's price list.</summary>
public sealed class PriceOverrideConfig
{
    /// <summary>The provider (openai, anthropic, google, …).</summary>
    public string? Provider { get; set; }

    /// <summary>Other names the model is requested by.</summary>
    public List<string> Aliases { get; init; } = [];

    /// <summary>Input price.</summary>
    public decimal Input { get; set; }

    /// <summary>Output price.</summary>
    public decimal Output { get; set; }

    /// <summary>Cached-input read price (default: the input price).</summary>
    public decimal? CachedInputRead { get; set; }

    /// <summary>Cache write price (default: the input price).</summary>
    public decimal? CachedInputWrite { get; set; }

    /// <summary>Batch input price, when the provider has a batch API.</summary>
    public decimal? BatchInput { get; set; }

    /// <summary>Batch output price.</summary>
    public decimal? BatchOutput { get; set; }

    /// <summary>Input tokens above which the whole request is billed at the long-context prices.</summary>
    public long? LongContextThreshold { get; set; }

    /// <summary>Long-context input price.</summary>
    public decimal? LongContextInput { get; set; }

    /// <summary>Long-context output price.</summary>
    public decimal? LongContextOutput { get; set; }

    /// <summary>Context window in tokens.</summary>
    public long? ContextWindow { get; set; }

    /// <summary>The date the price was observed (yyyy-MM-dd).</summary>
    public string? Observed { get; set; }

    /// <summary>Where it was observed (the price page's URL).</summary>
    public string? Source { get; set; }
}
