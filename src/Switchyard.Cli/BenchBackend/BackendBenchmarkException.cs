using System.Diagnostics.CodeAnalysis;

namespace Switchyard.Cli.BenchBackend;

/// <summary>The server cannot be benchmarked (bad URL, unreachable, key refused, model unknown); the message is one line for the user.</summary>
[SuppressMessage("Performance", "CA1515:Consider making public types internal", Justification = "Public so tests can use it (the CLI grants no InternalsVisibleTo).")]
public sealed class BackendBenchmarkException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="BackendBenchmarkException"/> class.</summary>
    public BackendBenchmarkException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="BackendBenchmarkException"/> class.</summary>
    /// <param name="message">One line saying what is wrong and what to do.</param>
    public BackendBenchmarkException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="BackendBenchmarkException"/> class.</summary>
    /// <param name="message">One line saying what is wrong and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public BackendBenchmarkException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
