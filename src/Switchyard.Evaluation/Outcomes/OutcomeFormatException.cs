using System.Globalization;

namespace Switchyard.Evaluation;

/// <summary>
/// An outcome JSONL file (see <see cref="OutcomeJsonl"/>) is not in the expected shape. The message starts with
/// <c>file:line:</c> and says what is wrong there.
/// </summary>
public sealed class OutcomeFormatException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public OutcomeFormatException()
        : base("An outcome file is malformed.")
    {
    }

    /// <summary>Creates the exception with the given message.</summary>
    /// <param name="message">What went wrong.</param>
    public OutcomeFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the given message and cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The underlying error (e.g. a JSON parse error).</param>
    public OutcomeFormatException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a problem on a known line of a file.</summary>
    /// <param name="filePath">The file being read.</param>
    /// <param name="lineNumber">The 1-based line the problem is on.</param>
    /// <param name="problem">What is wrong there, e.g. <c>"'score' of model 'a' is 1.5; scores must be between 0 and 1"</c>.</param>
    /// <param name="innerException">The underlying error, when there is one.</param>
    public OutcomeFormatException(string filePath, long lineNumber, string problem, Exception? innerException = null)
        : base(string.Create(CultureInfo.InvariantCulture, $"{filePath}:{lineNumber}: {problem}"), innerException)
    {
        FilePath = filePath;
        LineNumber = lineNumber;
    }

    /// <summary>The file the problem is in, when known.</summary>
    public string? FilePath { get; }

    /// <summary>The 1-based line the problem is on, when known.</summary>
    public long? LineNumber { get; }
}
