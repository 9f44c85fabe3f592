namespace Switchyard.Local.Gguf;

/// <summary>A GGUF file is truncated, corrupt or uses something this reader does not support.</summary>
/// <remarks>The message names the file, the byte offset and what was expected there.</remarks>
public sealed class GgufFormatException : Exception
{
    /// <summary>Creates the exception with a generic message and no file or offset.</summary>
    public GgufFormatException()
    {
    }

    /// <summary>Creates the exception with the given message and no file or offset.</summary>
    /// <param name="message">What is wrong, naming the file.</param>
    public GgufFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the given message and cause, and no file or offset.</summary>
    /// <param name="message">What is wrong, naming the file.</param>
    /// <param name="innerException">The underlying error.</param>
    public GgufFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal GgufFormatException(string path, long offset, string problem)
        : base($"{path}: at byte {offset}: {problem}")
    {
        FilePath = path;
        Offset = offset;
    }

    /// <summary>A problem with the file as a whole (a missing tensor, a shape the model cannot use), not at one offset.</summary>
    internal GgufFormatException(string path, string problem)
        : base($"{path}: {problem}")
    {
        FilePath = path;
    }

    /// <summary>The file that failed to read, when known.</summary>
    public string? FilePath { get; }

    /// <summary>The byte offset where the problem was found, or -1 when it concerns the file as a whole.</summary>
    public long Offset { get; } = -1;
}
