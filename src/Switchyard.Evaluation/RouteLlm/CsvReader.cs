using System.Globalization;
using System.Text;

namespace Switchyard.Evaluation.RouteLlm;

/// <summary>
/// A small streaming reader for RFC 4180 CSV: comma-separated fields, fields optionally enclosed in double quotes, a
/// doubled quote (<c>""</c>) inside a quoted field standing for one quote, and line breaks (LF, CRLF or a lone CR)
/// ending records. Quoted fields may contain commas and line breaks, which are kept exactly as written (a CRLF inside a
/// quoted field stays CRLF). Unlike lenient readers it rejects a quote inside an unquoted field, text after a closing
/// quote and a quoted field that is never closed, with a <see cref="RouteLlmFormatException"/> naming the line.
/// </summary>
/// <remarks>
/// A blank line is returned as a record with one empty field, as RFC 4180 reads it; callers that want pandas'
/// behaviour (skipping blank lines) check for that. A line break at the very end of the input does not start a
/// further record.
/// </remarks>
public sealed class CsvReader : IDisposable
{
    private const int EndOfInput = -1;

    private readonly TextReader _reader;
    private readonly bool _leaveOpen;
    private readonly char[] _buffer = new char[4096];
    private readonly StringBuilder _field = new();
    private int _position;
    private int _length;
    private long _line = 1;
    private bool _disposed;

    /// <summary>Reads CSV from <paramref name="reader"/>.</summary>
    /// <param name="reader">The text to read.</param>
    /// <param name="source">A name for the input used in error messages (usually the file path).</param>
    /// <param name="leaveOpen">Whether <see cref="Dispose"/> leaves <paramref name="reader"/> open.</param>
    public CsvReader(TextReader reader, string source, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(source);
        _reader = reader;
        _leaveOpen = leaveOpen;
        Source = source;
    }

    /// <summary>Opens a UTF-8 CSV file (a byte-order mark, if any, is skipped).</summary>
    /// <param name="path">The file to read.</param>
    /// <returns>A reader that owns the file handle.</returns>
    public static CsvReader Open(string path) =>
        new(new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true), path);

    /// <summary>The input's name as used in error messages.</summary>
    public string Source { get; }

    /// <summary>The 1-based line on which the record last returned by <see cref="ReadRecord"/> starts (0 before the first).</summary>
    public long RecordLine { get; private set; }

    /// <summary>Reads the next record.</summary>
    /// <returns>The record's fields, or <see langword="null"/> at the end of the input.</returns>
    /// <exception cref="RouteLlmFormatException">The input is not valid CSV at this point.</exception>
    public IReadOnlyList<string>? ReadRecord()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Peek() == EndOfInput)
        {
            return null;
        }

        RecordLine = _line;
        var fields = new List<string>();
        while (true)
        {
            fields.Add(ReadField());
            int delimiter = Next();
            switch (delimiter)
            {
                case ',':
                    continue;
                case '\r' when Peek() == '\n':
                    Next();
                    return fields;
                default:
                    // '\n', a lone '\r', or the end of the input.
                    return fields;
            }
        }
    }

    /// <summary>Closes the underlying reader unless it was opened with leaveOpen.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_leaveOpen)
        {
            _reader.Dispose();
        }
    }

    private string ReadField()
    {
        _field.Clear();
        if (Peek() == '"')
        {
            long openedOn = _line;
            Next();
            while (true)
            {
                int c = Next();
                if (c == EndOfInput)
                {
                    throw new RouteLlmFormatException(Source, openedOn, "a closing quote (\") for the quoted field that starts on this line, but the input ended");
                }

                if (c == '"')
                {
                    if (Peek() == '"')
                    {
                        Next();
                        _field.Append('"');
                        continue;
                    }

                    break;
                }

                _field.Append((char)c);
            }

            int after = Peek();
            if (after is not (',' or '\r' or '\n' or EndOfInput))
            {
                throw new RouteLlmFormatException(
                    Source,
                    _line,
                    string.Create(CultureInfo.InvariantCulture, $"',' or the end of the line after a closing quote, found '{(char)after}' (a quote inside a quoted field is written \"\")"));
            }
        }
        else
        {
            while (true)
            {
                int c = Peek();
                if (c is ',' or '\r' or '\n' or EndOfInput)
                {
                    break;
                }

                if (c == '"')
                {
                    throw new RouteLlmFormatException(Source, _line, "no quote (\") inside an unquoted field (a field containing quotes must be enclosed in quotes, with each quote doubled)");
                }

                _field.Append((char)Next());
            }
        }

        return _field.ToString();
    }

    private int Peek()
    {
        if (_position == _length && !Fill())
        {
            return EndOfInput;
        }

        return _buffer[_position];
    }

    private int Next()
    {
        int c = Peek();
        if (c == EndOfInput)
        {
            return EndOfInput;
        }

        _position++;
        if (c == '\n' || (c == '\r' && Peek() != '\n'))
        {
            _line++;
        }

        return c;
    }

    private bool Fill()
    {
        _length = _reader.Read(_buffer, 0, _buffer.Length);
        _position = 0;
        return _length > 0;
    }
}
