using System.Buffers;
using System.Runtime.CompilerServices;

namespace Switchyard.Privacy.Detectors;

/// <summary>Character tests and context look-ups shared by the built-in detectors. Allocation-free.</summary>
internal static class DetectorText
{
    /// <summary>A letter (any script), an ASCII digit or an underscore: something a value may not run into.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsWordChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c == '_' || (c > '\u007f' && char.IsLetterOrDigit(c));

    /// <summary>Whether <paramref name="index"/> is inside the text and holds a word character.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsWordCharAt(string text, int index) => (uint)index < (uint)text.Length && IsWordChar(text[index]);

    /// <summary>Whether <paramref name="index"/> is inside the text and holds an ASCII digit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsDigitAt(string text, int index) => (uint)index < (uint)text.Length && char.IsAsciiDigit(text[index]);

    /// <summary>The index just past the run of ASCII digits that starts at <paramref name="index"/>.</summary>
    public static int DigitRunEnd(string text, int index)
    {
        while (index < text.Length && char.IsAsciiDigit(text[index]))
        {
            index++;
        }

        return index;
    }

    /// <summary>The ASCII digits in <paramref name="span"/>.</summary>
    public static int CountDigits(ReadOnlySpan<char> span)
    {
        int count = 0;
        foreach (char c in span)
        {
            count += char.IsAsciiDigit(c) ? 1 : 0;
        }

        return count;
    }

    /// <summary>The value of the <paramref name="length"/> ASCII digits at <paramref name="start"/>.</summary>
    public static int Number(string text, int start, int length)
    {
        int value = 0;
        for (int i = start; i < start + length; i++)
        {
            value = (value * 10) + (text[i] - '0');
        }

        return value;
    }

    /// <summary>
    /// Whether the <paramref name="window"/> characters before <paramref name="index"/> mention one of
    /// <paramref name="keywords"/> (a vectorised search; the keywords' comparison is baked into the values).
    /// </summary>
    public static bool HasKeywordBefore(string text, int index, int window, SearchValues<string> keywords)
    {
        int from = Math.Max(0, index - window);
        return text.AsSpan(from, index - from).ContainsAny(keywords);
    }

    /// <summary>
    /// Like <see cref="HasKeywordBefore"/>, but the keyword must start a word and come after the last digit before
    /// <paramref name="index"/>: in "tel. 030 123456, ref. 1234567890" the keyword belongs to the first number only.
    /// </summary>
    public static bool HasKeywordRightBefore(string text, int index, int window, SearchValues<string> keywords)
    {
        int from = Math.Max(0, index - window);
        int lastDigit = text.AsSpan(from, index - from).LastIndexOfAnyInRange('0', '9');
        if (lastDigit >= 0)
        {
            from += lastDigit + 1;
        }

        // The keyword must start a word: "tel" in "Tel." or "telefono", not in "hotel" or "samenstellen".
        ReadOnlySpan<char> span = text.AsSpan(from, index - from);
        int offset = 0;
        while (true)
        {
            int k = span[offset..].IndexOfAny(keywords);
            if (k < 0)
            {
                return false;
            }

            int at = from + offset + k;
            if (at == 0 || !char.IsLetter(text[at - 1]))
            {
                return true;
            }

            offset += k + 1;
        }
    }

    /// <summary>
    /// Whether a value starting at <paramref name="start"/> begins cleanly: the character before it is no word
    /// character, and is not a '.', ',', '-' or '/' glued to a digit (which would make the value the tail of a larger number).
    /// </summary>
    public static bool IsNumberStartBoundary(string text, int start)
    {
        if (start == 0)
        {
            return true;
        }

        char c = text[start - 1];
        if (IsWordChar(c))
        {
            return false;
        }

        return c is not ('.' or ',' or '-' or '/' or ':') || !IsDigitAt(text, start - 2);
    }

    /// <summary>
    /// Whether a numeric value ending just before <paramref name="end"/> ends cleanly: the next character is no word
    /// character, and is not a '.', ',', '-' or '/' followed by a digit.
    /// </summary>
    public static bool IsNumberEndBoundary(string text, int end)
    {
        if (end >= text.Length)
        {
            return true;
        }

        char c = text[end];
        if (IsWordChar(c))
        {
            return false;
        }

        return c is not ('.' or ',' or '-' or '/' or ':') || !IsDigitAt(text, end + 1);
    }
}
