namespace Switchyard.Routing;

/// <summary>
/// A provider's live load, for routers that overflow to the next candidate instead of queueing behind a busy one.
/// Found through <c>IChatClient.GetService(typeof(ILoadSignal))</c>; the embedded engine reports one.
/// </summary>
public interface ILoadSignal
{
    /// <summary>Requests running now.</summary>
    int Active { get; }

    /// <summary>Requests waiting for a slot.</summary>
    int Waiting { get; }

    /// <summary>Whether a new request would be refused right now (every slot busy and the queue full).</summary>
    bool IsSaturated { get; }

    /// <summary>Recent output speed of one request in tokens per second (0 before the first measurement).</summary>
    double DecodeTokensPerSecond { get; }
}
