namespace Switchyard.Cli.BenchBackend;

/// <summary>Why a benchmark request failed.</summary>
internal enum RequestFailure
{
    /// <summary>It did not: tokens were streamed to the end.</summary>
    None,

    /// <summary>No connection (refused, name not resolved, TLS failure).</summary>
    Connect,

    /// <summary>No complete answer within <c>--timeout</c>.</summary>
    Timeout,

    /// <summary>The server answered with an HTTP error status.</summary>
    Http,

    /// <summary>The stream broke off or carried an error event.</summary>
    Stream,

    /// <summary>The answer was not an OpenAI event stream.</summary>
    Protocol,

    /// <summary>The stream completed without a single output token.</summary>
    NoTokens,
}
