namespace Switchyard.Metering;

/// <summary>Receives ledger records. Implementations write them off the request path.</summary>
public interface ILedgerSink
{
    /// <summary>Queues a record. Completes at once unless the queue is full, in which case it waits for room.</summary>
    ValueTask WriteAsync(LedgerRecord record, CancellationToken cancellationToken = default);

    /// <summary>
    /// False while the sink cannot take more records without making the caller wait on a database that is not answering
    /// (its queue is full and its writes are failing): new requests are then refused up front rather than served
    /// and left unrecorded.
    /// </summary>
    bool CanAccept => true;
}
