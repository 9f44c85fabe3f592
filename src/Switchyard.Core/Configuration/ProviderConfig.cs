namespace Switchyard.Configuration;

/// <summary>One upstream provider: where it is, how to authenticate, where its data lives, how to treat its failures.</summary>
public sealed class ProviderConfig
{
    /// <summary>One of <see cref="ProviderKinds"/>: <c>openai-compatible</c>, <c>openai</c>, <c>anthropic</c> or <c>embedded</c>.</summary>
    public string? Kind { get; set; }

    /// <summary>Base URL of the API, e.g. <c>http://127.0.0.1:8000/v1</c> or <c>https://api.anthropic.com</c>.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Name of the environment variable that holds the API key (preferred over <see cref="ApiKey"/>).</summary>
    public string? ApiKeyEnv { get; set; }

    /// <summary>The API key itself. Prefer <see cref="ApiKeyEnv"/> so keys stay out of files.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Residency zone of the provider: <c>self</c> for inside the boundary, or a named zone such as <c>us</c>. Default <c>self</c> for openai-compatible, otherwise required.</summary>
    public string? Zone { get; set; }

    /// <summary>Seconds an attempt may wait for the response, or between two streamed chunks. Default 120; range 1–3600.</summary>
    public double TimeoutSeconds { get; set; } = 120;

    /// <summary>Retries of the same provider after a transient failure, before failing over. Default 1; range 0–10.</summary>
    public int MaxRetries { get; set; } = 1;

    /// <summary>First retry delay in milliseconds; doubles with each retry, with jitter. Default 250; range 0–60000.</summary>
    public double RetryBaseDelayMs { get; set; } = 250;

    /// <summary>Consecutive failures that open the provider's circuit. Default 5; range 1–1000.</summary>
    public int CircuitFailureThreshold { get; set; } = 5;

    /// <summary>Seconds an open circuit stays open before one probe request is let through. Default 30; range 1–3600.</summary>
    public double CircuitBreakSeconds { get; set; } = 30;

    /// <summary>For <c>embedded</c>: the GGUF file to run, absolute or relative to the configuration file's folder.</summary>
    public string? Model { get; set; }

    /// <summary>For <c>embedded</c>: tokens of context per request (prompt plus output), capped at the model's own. Default 4096.</summary>
    public int ContextLength { get; set; } = 4096;

    /// <summary>
    /// <c>embedded</c>: the SHA-256 the model file must have (64 hex digits). Set, the file is hashed at start-up and a
    /// different file refuses to start, naming both hashes; unset, the hash is only reported.
    /// </summary>
    public string? Sha256 { get; set; }

    /// <summary>For <c>embedded</c>: generations run at once. Default 1; range 1–64.</summary>
    public int MaxParallel { get; set; } = 1;

    /// <summary>For <c>embedded</c>: requests that may wait for a free slot before new ones are refused. Default 16; range 0–10000.</summary>
    public int MaxQueue { get; set; } = 16;

    /// <summary>For <c>embedded</c>: the status of a refused request, 429 or 503. Default 503.</summary>
    public int QueueFullStatus { get; set; } = 503;

    /// <summary>Resolves the API key: the variable named by <see cref="ApiKeyEnv"/>, else <see cref="ApiKey"/>.</summary>
    public string? ResolveApiKey(Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        return string.IsNullOrEmpty(ApiKeyEnv) ? ApiKey : getEnvironmentVariable(ApiKeyEnv);
    }
}
