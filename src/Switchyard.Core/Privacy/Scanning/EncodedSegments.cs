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

            string run = wrapped ? RemoveLineBreaks(text, start, end) : text[start..end];
            if (TryDecode(run) is { } decoded)
            {
                found(start, end, decoded);
            }
        }
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
    internal static string? TryDecode(string run)
    {
        string trimmed = run.TrimEnd('=');
        if (trimmed.Length >= MinRunLength && trimmed.Length % 2 == 0 && IsHex(trimmed))
        {
            byte[] bytes = Convert.FromHexString(trimmed);
            if (AsText(bytes) is { } hexText)
            {
                return hexText;
            }
        }

        // base64: map the URL-safe alphabet to the standard one and restore the padding.
        int remainder = trimmed.Length % 4;
        if (remainder == 1)
        {
            trimmed = trimmed[..^1]; // a stray character: decode what is whole
            remainder = 0;
        }

        if (trimmed.Length < MinRunLength - 1)
        {
            return null;
        }

        char[] chars = new char[trimmed.Length + ((4 - remainder) % 4)];
        for (int i = 0; i < trimmed.Length; i++)
        {
            chars[i] = trimmed[i] switch { '-' => '+', '_' => '/', var c => c };
        }

        for (int i = trimmed.Length; i < chars.Length; i++)
        {
            chars[i] = '=';
        }

        byte[] decoded = new byte[(chars.Length / 4) * 3];
        return Convert.TryFromBase64Chars(chars, decoded, out int written) ? AsText(decoded.AsSpan(0, written)) : null;
    }

    private static bool IsHex(string s)
    {
        foreach (char c in s)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The bytes as a string when they are valid UTF-8 and at least 90% printable (tabs and line breaks count).</summary>
    private static string? AsText(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 6 || !System.Text.Unicode.Utf8.IsValid(bytes))
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
