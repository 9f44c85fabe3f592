namespace Switchyard.Cli.BenchBackend;

/// <summary>One streamed request as measured: timestamps (<see cref="TimeProvider.GetTimestamp"/> ticks), counts and failure.</summary>
internal sealed record RequestOutcome
{
    public RequestFailure Failure { get; init; }

    /// <summary>One line describing the failure, for example <c>HTTP 500: out of memory</c>.</summary>
    public string? Error { get; init; }

    public int? HttpStatus { get; init; }

    /// <summary>The error message from the server's error body (HTTP failures).</summary>
    public string? ServerMessage { get; init; }

    public long Start { get; init; }

    public long End { get; init; }

    public long? FirstToken { get; init; }

    public long? LastToken { get; init; }

    /// <summary>Events that carried output (content, reasoning or tool-call deltas).</summary>
    public int Chunks { get; init; }

    /// <summary><c>usage.completion_tokens</c> from the stream, when the server sent it.</summary>
    public int? CompletionTokens { get; init; }

    /// <summary><c>usage.prompt_tokens</c> from the stream, when the server sent it.</summary>
    public int? PromptTokens { get; init; }

    /// <summary>True when the server answered with an event stream that ended properly (tokens or not).</summary>
    public bool Responded => Failure is RequestFailure.None or RequestFailure.NoTokens;

    public bool Ok => Failure == RequestFailure.None;

    /// <summary>Output tokens: the server's count when it gave one, else the number of output events.</summary>
    public int OutputTokens => CompletionTokens ?? Chunks;
}
