namespace Switchyard.Cli.BenchBackend;

/// <summary>The command line of <c>switchyard bench-backend</c>, as parsed.</summary>
internal sealed record BenchBackendArguments(
    string? Url,
    string? Model,
    int InputTokens,
    int OutputTokens,
    string Concurrency,
    int Requests,
    string? ApiKeyEnv,
    string? JsonPath,
    double TimeoutSeconds,
    double? TtftSloMs,
    bool NoExtensions);
