namespace Switchyard.Configuration;

/// <summary>Limits the gateway enforces on every request.</summary>
public sealed class LimitsConfig
{
    /// <summary>Largest accepted request body in bytes; larger bodies get 413. Default 4 MiB; range 1 KiB–256 MiB.</summary>
    public long MaxRequestBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Seconds a whole request may take, failover included, before the gateway gives up with 504. Default 600; range 1–86400.</summary>
    public double RequestTimeoutSeconds { get; set; } = 600;
}
