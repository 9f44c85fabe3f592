namespace Switchyard.Configuration;

/// <summary>The request ledger.</summary>
public sealed class LedgerConfig
{
    /// <summary>Path of the SQLite file. Default <c>switchyard.db</c> in the working directory.</summary>
    public string Path { get; set; } = "switchyard.db";

    /// <summary>Records that may wait to be written before requests wait for the writer. Default 10000; range 16–1000000.</summary>
    public int QueueCapacity { get; set; } = 10_000;
}
