using System.Globalization;

namespace Switchyard.Evaluation.RouteLlm;

/// <summary>
/// A RouteLLM outcome file (CSV or JSONL) is not in the expected shape. The message names the file, the line and what was
/// expected there.
/// </summary>
public sealed class RouteLlmFormatException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public RouteLlmFormatException()
        : base("A RouteLLM outcome file is malformed.")
    {
    }

    /// <summary>Creates the exception with the given message.</summary>
    /// <param name="message">What went wrong.</param>
    public RouteLlmFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the given message and cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The underlying error (e.g. a JSON parse error).</param>
    public RouteLlmFormatException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a problem at a known place in a file.</summary>
    /// <param name="filePath">The file (or other source name) being read.</param>
    /// <param name="lineNumber">The 1-based line the problem is on, when known.</param>
    /// <param name="expected">What was expected there, e.g. <c>"True or False in column 'gpt-4', found 'maybe'"</c>.</param>
    /// <param name="innerException">The underlying error, when there is one.</param>
    public RouteLlmFormatException(string filePath, long? lineNumber, string expected, Exception? innerException = null)
        : base(Format(filePath, lineNumber, expected), innerException)
    {
        FilePath = filePath;
        LineNumber = lineNumber;
    }

    /// <summary>The file (or source name) the problem is in, when known.</summary>
    public string? FilePath { get; }

    /// <summary>The 1-based line the problem is on, when known.</summary>
    public long? LineNumber { get; }

    private static string Format(string filePath, long? lineNumber, string expected) =>
        lineNumber is { } line
            ? string.Create(CultureInfo.InvariantCulture, $"{filePath}, line {line}: expected {expected}")
            : $"{filePath}: expected {expected}";
}
