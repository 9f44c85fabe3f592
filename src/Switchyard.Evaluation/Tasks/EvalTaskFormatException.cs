using System.Globalization;

namespace Switchyard.Evaluation.Tasks;

/// <summary>
/// A task file, a task line or a grader specification is not valid. For a task file the message starts with
/// <c>file:line:</c>.
/// </summary>
public sealed class EvalTaskFormatException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public EvalTaskFormatException()
        : base("A task file is malformed.")
    {
    }

    /// <summary>Creates the exception with the given message.</summary>
    /// <param name="message">What went wrong.</param>
    public EvalTaskFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the given message and cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The underlying error.</param>
    public EvalTaskFormatException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a problem on a known line of a file.</summary>
    /// <param name="filePath">The task file.</param>
    /// <param name="lineNumber">The 1-based line.</param>
    /// <param name="problem">What is wrong there.</param>
    /// <param name="innerException">The underlying error, when there is one.</param>
    public EvalTaskFormatException(string filePath, long lineNumber, string problem, Exception? innerException = null)
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
