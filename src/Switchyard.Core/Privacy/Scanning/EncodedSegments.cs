using System.Buffers;
using System.Text;

namespace Switchyard.Privacy.Scanning;

/// <summary>
/// Finds runs of base64 (standard or URL-safe, padded or not, wrapped at a fixed line length as MIME does) and hex
/// that decode to text, so what they hide can be scanned. A run qualifies when it is at least
/// <see cref="MinRunLength"/> characters and its bytes are valid UTF-8 of which nearly all are printable; random
/// identifiers, hashes and binary data decode to bytes that are not, and are left alone.
/// </summary>
internal static class EncodedSegments
{
    /// <summary>Shortest run tried: 12 base64 characters hold 9 bytes, enough for a bare SSN or NINO.</summary>
    public const int MinRunLength = 12;

    /// <summary>Longest run decoded (bigger ones are attachments or images, not text someone typed).</summary>
    public const int MaxRunLength = 256 * 1024;

    private static readonly SearchValues<char> s_hex = SearchValues.Create("0123456789ABCDEFabcdef");

    private static readonly SearchValues<char> s_runChars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_");

    /// <summary>Calls <paramref name="found"/> with the span of each run in <paramref name="text"/> that decodes to text, and the text.</summary>
    public static void Find(string text, Action<int, int, string> found)
    {
        int from = 0;
        while (from < text.Length)
        {
            int start = text.AsSpan(from).IndexOfAny(s_runChars);
            if (start < 0)
            {
                return;
            }

            start += from;
            int end = RunEnd(text, start, out bool wrapped);
            from = Math.Max(end, start + 1);
            int length = end - start;
            if (length < MinRunLength || length > MaxRunLength)
            {
                continue;
            }

            if (!wrapped && !MayBeEncoded(text.AsSpan(start, length)))
            {
                continue;
            }

            string? decoded = wrapped ? TryDecode(RemoveLineBreaks(text, start, end)) : TryDecode(text.AsSpan(start, length));
            if (decoded is not null)
            {
                found(start, end, decoded);
            }
        }
    }

    /// <summary>
    /// A cheap first look: base64 of text mixes upper and lower case (or digits) and hex has digits; a run of one
    /// case of letters only ("internationalization", "CONSTANT_NAME") is a word.
    /// </summary>
    private static bool MayBeEncoded(ReadOnlySpan<char> run)
    {
        bool upper = run.ContainsAnyInRange('A', 'Z');
        bool lower = run.ContainsAnyInRange('a', 'z');
        bool digit = run.ContainsAnyInRange('0', '9');
        return (upper && lower) || digit;
    }

    /// <summary>The end of the run starting at <paramref name="start"/>: run characters, '=' padding, and MIME line wraps.</summary>
    private static int RunEnd(string text, int start, out bool wrapped)
    {
        wrapped = false;
        int p = start;
        int lineLength = -1;
        while (true)
        {
            int lineStart = p;
            int stop = text.AsSpan(p).IndexOfAnyExcept(s_runChars);
            p = stop < 0 ? text.Length : p + stop;
            int padding = 0;
            while (p < text.Length && text[p] == '=' && padding < 2)
            {
                p++;
                padding++;
            }

            int segment = p - lineStart;

            // A wrapped run continues on the next line when this line is as long as the first one (a multiple of 4).
            int next = p;
            if (next < text.Length && text[next] == '\r')
            {
                next++;
            }

            if (next < text.Length && text[next] == '\n' && segment >= MinRunLength && segment % 4 == 0 && (lineLength < 0 || segment == lineLength)
                && next + 1 < text.Length && s_runChars.Contains(text[next + 1]))
            {
                lineLength = segment;
                wrapped = true;
                p = next + 1;
                continue;
            }

            return p;
        }
    }

    private static string RemoveLineBreaks(string text, int start, int end)
    {
        var builder = new StringBuilder(end - start);
        for (int i = start; i < end; i++)
        {
            if (text[i] is not ('\r' or '\n'))
            {
                builder.Append(text[i]);
            }
        }

        return builder.ToString();
    }

    /// <summary>The text a run encodes, or null when it is not hex or base64 of text.</summary>
    internal static string? TryDecode(ReadOnlySpan<char> run)
    {
        ReadOnlySpan<char> trimmed = run.TrimEnd('=');
        if (trimmed.Length >= MinRunLength && trimmed.Length % 2 == 0 && !trimmed.ContainsAnyExcept(s_hex))
        {
            byte[] hexBytes = ArrayPool<byte>.Shared.Rent(trimmed.Length / 2);
            try
            {
                if (Convert.FromHexString(trimmed, hexBytes, out _, out int written) == OperationStatus.Done && AsText(hexBytes.AsSpan(0, written)) is { } hexText)
                {
                    return hexText;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(hexBytes);
            }
        }

        // base64: map the URL-safe alphabet to the standard one and restore the padding. (Base64 of text is never all
        // digits; a run of digits is a number.)
        if (!trimmed.ContainsAnyExceptInRange('0', '9'))
        {
            return null;
        }

        if (trimmed.Length % 4 == 1)
        {
            trimmed = trimmed[..^1]; // a stray character: decode what is whole
        }

        if (trimmed.Length < MinRunLength - 1)
        {
            return null;
        }

        int padded = (trimmed.Length + 3) / 4 * 4;
        char[] chars = ArrayPool<char>.Shared.Rent(padded);
        byte[] bytes = ArrayPool<byte>.Shared.Rent(padded / 4 * 3);
        try
        {
            for (int i = 0; i < trimmed.Length; i++)
            {
                chars[i] = trimmed[i] switch { '-' => '+', '_' => '/', var c => c };
            }

            chars.AsSpan(trimmed.Length, padded - trimmed.Length).Fill('=');
            return Convert.TryFromBase64Chars(chars.AsSpan(0, padded), bytes, out int written) ? AsText(bytes.AsSpan(0, written)) : null;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary>The bytes as a string when they are valid UTF-8 and at least 90% printable (tabs and line breaks count).</summary>
    private static string? AsText(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 6 || !System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return null;
        }

        // Count on the bytes first (ASCII controls are the usual tell of binary data); decode only text.
        int controls = 0;
        foreach (byte b in bytes)
        {
            controls += b < 0x20 && b is not ((byte)'\t' or (byte)'\n' or (byte)'\r') || b == 0x7F ? 1 : 0;
        }

        if (controls * 10 > bytes.Length)
        {
            return null;
        }

        string text = Encoding.UTF8.GetString(bytes);
        int printable = 0;
        foreach (char c in text)
        {
            if (!char.IsControl(c) || c is '\t' or '\n' or '\r')
            {
                printable++;
            }
        }

        return printable * 10 >= text.Length * 9 ? text : null;
    }
}
