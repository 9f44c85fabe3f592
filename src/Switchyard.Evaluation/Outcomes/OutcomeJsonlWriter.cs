namespace Switchyard.Evaluation;

/// <summary>
/// Appends records to an outcome JSONL file (see <see cref="OutcomeJsonl"/>), one line per call, each written in one
/// piece and flushed to disk before <see cref="Append"/> returns, so an interruption loses only records not yet appended.
/// </summary>
/// <remarks>
/// <para>Opening an existing file reads it first (<see cref="Existing"/>) so a run can resume. A last line with no
/// line break after it that is not valid JSON is what an interrupted write leaves: it is discarded (cut off the file)
/// and reported in <see cref="DiscardedTornLine"/>. Any other malformed line fails the open with an
/// <see cref="OutcomeFormatException"/>, leaving the file untouched.</para>
/// <para>The file stays open and locked until disposed: another writer (another run on the same file) fails to open it,
/// so two runs cannot interleave lines; readers are not blocked. <see cref="Append"/> is thread-safe.</para>
/// </remarks>
public sealed class OutcomeJsonlWriter : IDisposable
{
    private readonly Lock _gate = new();
    private readonly FileStream _stream;
    private bool _disposed;

    private OutcomeJsonlWriter(string path, FileStream stream, IReadOnlyList<OutcomeRecord> existing, long? tornLine)
    {
        Path = path;
        _stream = stream;
        Existing = existing;
        DiscardedTornLine = tornLine;
    }

    /// <summary>The file's full path.</summary>
    public string Path { get; }

    /// <summary>The records already in the file when it was opened (lines with the same id merged), in file order.</summary>
    public IReadOnlyList<OutcomeRecord> Existing { get; }

    /// <summary>The 1-based number of the torn last line discarded on open, if there was one.</summary>
    public long? DiscardedTornLine { get; }

    /// <summary>Opens (or creates) the file for appending, reading what it already holds.</summary>
    /// <param name="path">The JSONL file; its folder must exist.</param>
    /// <returns>The writer; dispose it to close the file.</returns>
    /// <exception cref="OutcomeFormatException">A line of the existing file, other than a torn last one, is malformed.</exception>
    /// <exception cref="IOException">The file cannot be opened (for example another run is writing it).</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be written.</exception>
    public static OutcomeJsonlWriter Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = System.IO.Path.GetFullPath(path);
        var stream = new FileStream(full, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            LockAgainstOtherWriters(stream, full);
            if (stream.Length > int.MaxValue)
            {
                throw new IOException($"{full} is larger than 2 GiB; split it before resuming.");
            }

            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            var contents = OutcomeJsonl.Parse(path, bytes, discardTornLastLine: true);
            if (contents.ValidLength < bytes.Length)
            {
                stream.SetLength(contents.ValidLength);
            }

            stream.Seek(0, SeekOrigin.End);
            if (!contents.EndsWithNewline)
            {
                stream.WriteByte((byte)'\n');
                stream.Flush(flushToDisk: true);
            }

            return new OutcomeJsonlWriter(full, stream, contents.Records, contents.TornLine);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Takes an advisory lock on the whole file, so a second writer fails to open it; readers do not lock and are unaffected.</summary>
    private static void LockAgainstOtherWriters(FileStream stream, string path)
    {
        if (OperatingSystem.IsMacOS())
        {
            return; // .NET has no byte-range locks on macOS
        }

        try
        {
            stream.Lock(0, long.MaxValue);
        }
        catch (IOException ex)
        {
            throw new IOException($"{path} is being written by another run (it is locked): {ex.Message}", ex);
        }
    }

    /// <summary>Appends one record as a line and flushes it to disk.</summary>
    /// <param name="record">The record.</param>
    public void Append(OutcomeRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var line = OutcomeJsonl.SerializeLine(record);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _stream.Write(line);
            _stream.Flush(flushToDisk: true);
        }
    }

    /// <summary>Closes the file.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _stream.Dispose();
        }
    }
}
