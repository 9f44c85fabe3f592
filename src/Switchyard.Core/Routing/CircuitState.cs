namespace Switchyard.Routing;

/// <summary>The state of a provider's circuit.</summary>
public enum CircuitState
{
    /// <summary>Calls flow.</summary>
    Closed,

    /// <summary>Calls are refused until the break duration has passed.</summary>
    Open,

    /// <summary>One probe call is let through; its outcome closes or re-opens the circuit.</summary>
    HalfOpen,
}
