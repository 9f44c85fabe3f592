namespace Switchyard.Cli.Eval;

/// <summary>The parsed command line of <c>switchyard eval</c>.</summary>
internal sealed record EvalArguments(
    string? TasksPath,
    IReadOnlyList<string> Models,
    string? OutPath,
    int Concurrency,
    string? Judge,
    string? Grader,
    string? ConfigPath,
    int? MaxTokens,
    float? Temperature);
