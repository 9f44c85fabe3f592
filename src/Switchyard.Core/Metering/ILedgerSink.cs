namespace Switchyard.Metering;

/// <summary>Receives ledger records. Implementations write them off the request path.</summary>
public interface ILedgerSink
{
    /// <summary>Queues a record. Completes at once unless the queue is full, in which case it waits for room.</summary>
    ValueTask WriteAsync(LedgerRecord record, CancellationToken cancellationToken = default);
}
