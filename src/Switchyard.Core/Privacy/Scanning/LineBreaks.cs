namespace Switchyard.Privacy.Scanning;

/// <summary>
/// Finds where a value may have been broken over two lines and reads it whole. Digit groups are joined across line
/// breaks already (see <see cref="DigitGroups"/>); what remains are values cut inside a token — e-mail addresses, IP
/// addresses, keys, a NINO's letters — or inside the letters of a grouped number. For each line break between two
/// characters that are not spaces, the token that ends the line and the token that starts the next one are read joined
/// (with a little context before, for keywords such as <c>password:</c>) when together they could be a value: an '@', an
/// address of digits with dots or colons, or at least sixteen characters; when both are capitals or digits (with a
/// capital) in a line with six digits, the lines around the break are read joined. Wrapped prose seldom qualifies.
/// </summary>
internal static class LineBreaks
{
    /// <summary>Longest token read on each side of a break.</summary>
    public const int Reach = 96;

    /// <summary>Context kept before the joined token.</summary>
    private const int ContextBefore = 16;

    /// <summary>Reads each joined window (valid only during the call), built in <paramref name="scratch"/>.</summary>
    public static void Windows(TextView view, ViewBuilder scratch, Action<TextView> read)
    {
        string text = view.Text;
        int from = 0;
        while (true)
        {
            int lineBreak = text.AsSpan(from).IndexOfAny('\n', '\r');
            if (lineBreak < 0)
            {
                return;
            }

            int breakStart = from + lineBreak;
            int breakEnd = breakStart;
            while (breakEnd < text.Length && text[breakEnd] is '\n' or '\r' && breakEnd - breakStart < 2)
            {
                breakEnd++;
            }

            from = breakEnd;
            if (breakStart == 0 || breakEnd >= text.Length || !IsTokenChar(text[breakStart - 1]) || !IsTokenChar(text[breakEnd]))
            {
                continue;
            }

            int left = breakStart;
            while (left > 0 && breakStart - left < Reach && IsTokenChar(text[left - 1]))
            {
                left--;
            }

            int right = breakEnd;
            while (right < text.Length && right - breakEnd < Reach && IsTokenChar(text[right]))
            {
                right++;
            }

            ReadOnlySpan<char> before = text.AsSpan(left, breakStart - left);
            ReadOnlySpan<char> after = text.AsSpan(breakEnd, right - breakEnd);
            if (!MayHoldValue(before, after))
            {
                // Capitals cut inside a grouped number ("GB82 WE\nST 1234 …", "A\nB123456C"): read the lines around it.
                // (Digits alone need nothing here: digit groups are joined across breaks.)
                if (before.ContainsAnyExcept(s_capitalsAndDigits) || after.ContainsAnyExcept(s_capitalsAndDigits)
                    || !(before.ContainsAnyInRange('A', 'Z') || after.ContainsAnyInRange('A', 'Z')))
                {
                    continue;
                }

                left = LineStart(text, breakStart, NumberReach);
                right = LineEnd(text, breakEnd, NumberReach);
                if (Detectors.DetectorText.CountDigits(text.AsSpan(left, right - left)) < 6)
                {
                    continue;
                }
            }

            int context = left;
            while (context > 0 && left - context < ContextBefore && text[context - 1] is not ('\n' or '\r'))
            {
                context--;
            }

            scratch.Reset(view);
            scratch.Copy(context, breakStart);
            scratch.Copy(breakEnd, right);
            if (right < text.Length && text[right] is not ('\n' or '\r'))
            {
                scratch.Copy(right, right + 1); // the character after, for boundary checks
            }

            read(scratch.BuildBorrowed());
        }
    }

    /// <summary>Reach on each side when a grouped number is cut inside a group.</summary>
    private const int NumberReach = 24;

    private static readonly System.Buffers.SearchValues<char> s_capitalsAndDigits = System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");

    private static int LineStart(string text, int breakStart, int reach)
    {
        int left = breakStart;
        while (left > 0 && breakStart - left < reach && text[left - 1] is not ('\n' or '\r'))
        {
            left--;
        }

        return left;
    }

    private static int LineEnd(string text, int breakEnd, int reach)
    {
        int right = breakEnd;
        while (right < text.Length && right - breakEnd < reach && text[right] is not ('\n' or '\r'))
        {
            right++;
        }

        return right;
    }

    /// <summary>A character a value without spaces can hold: not a space, not a field or markup delimiter.</summary>
    private static bool IsTokenChar(char c) => !char.IsWhiteSpace(c) && c is not (',' or ';' or '|' or '"' or '\'' or '(' or ')' or '<' or '>' or '[' or ']' or '{' or '}');

    private static bool MayHoldValue(ReadOnlySpan<char> before, ReadOnlySpan<char> after)
    {
        if (before.Contains('@') || after.Contains('@'))
        {
            return true;
        }

        // A key or token: long, with letters (a row of numbers ending one line and starting the next is not one).
        if (before.Length + after.Length >= 16 && (before.ContainsAnyInRange('A', 'z') || after.ContainsAnyInRange('A', 'z')))
        {
            return true;
        }

        // An IP address: digits with three dots, or hex with colons.
        int dots = before.Count('.') + after.Count('.');
        int colons = before.Count(':') + after.Count(':');
        return dots >= 3 || colons >= 2;
    }
}
