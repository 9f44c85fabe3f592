using System.Globalization;
using System.Text;

namespace Switchyard.Local.Templates;

/// <summary>
/// Splits a template into text and tag tokens the way Jinja2 does with <c>trim_blocks</c> and
/// <c>lstrip_blocks</c> on (the settings Hugging Face transformers renders chat templates with):
/// <c>-</c> strips all whitespace on that side of a tag, <c>+</c> keeps it, a block or comment tag eats one newline
/// after it, and whitespace from the start of a line up to a block or comment tag is dropped.
/// </summary>
internal sealed class JinjaLexer
{
    private static readonly string[] Operators =
        ["//", "**", "==", "!=", ">=", "<=", "+", "-", "*", "/", "%", "~", "[", "]", "(", ")", "{", "}", ">", "<", "=", ".", ":", "|", ",", ";"];

    private readonly TemplateSource source;
    private readonly string s;
    private readonly List<JinjaToken> tokens = [];
    private int pos;
    private bool lineStarting = true;

    private JinjaLexer(TemplateSource source)
    {
        this.source = source;
        s = source.Text;
    }

    /// <summary>Normalises line endings to \n and drops one trailing newline, as Jinja2 does by default.</summary>
    public static string Normalize(string text)
    {
        string normalized = text.Contains('\r', StringComparison.Ordinal)
            ? text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n')
            : text;
        return normalized.EndsWith('\n') ? normalized[..^1] : normalized;
    }

    public static List<JinjaToken> Tokenize(TemplateSource source)
    {
        var lexer = new JinjaLexer(source);
        lexer.Run();
        return lexer.tokens;
    }

    private void Run()
    {
        while (pos < s.Length)
        {
            int tag = FindTagStart(pos);
            if (tag < 0)
            {
                AddText(s[pos..], pos);
                pos = s.Length;
                break;
            }

            char kind = s[tag + 1];
            int p = tag + 2;
            char sign = p < s.Length && (s[p] == '-' || s[p] == '+') ? s[p] : '\0';
            AddText(ApplyLeftControl(s[pos..tag], sign, kind != '{'), pos);
            if (sign != '\0')
            {
                p++;
            }

            if (kind == '#')
            {
                LexComment(tag, p);
            }
            else if (kind != '%' || !TryLexRaw(p))
            {
                LexTag(kind == '{', tag, p);
            }
        }

        tokens.Add(new JinjaToken(JinjaTokenKind.End, string.Empty, s.Length));
    }

    private int FindTagStart(int from)
    {
        for (int i = s.IndexOf('{', from); i >= 0 && i + 1 < s.Length; i = s.IndexOf('{', i + 1))
        {
            char next = s[i + 1];
            if (next == '{' || next == '%' || next == '#')
            {
                return i;
            }
        }

        return -1;
    }

    private void AddText(string text, int offset)
    {
        if (text.Length > 0)
        {
            tokens.Add(new JinjaToken(JinjaTokenKind.Text, text, offset));
        }
    }

    /// <summary>Whitespace control for the text before a tag: '-' strips it all, lstrip_blocks strips an indent.</summary>
    private string ApplyLeftControl(string text, char sign, bool blockOrComment)
    {
        if (sign == '-')
        {
            return text.TrimEnd();
        }

        if (sign == '+' || !blockOrComment)
        {
            return text;
        }

        int lineStart = text.LastIndexOf('\n') + 1;
        if ((lineStart > 0 || lineStarting) && lineStart < text.Length && IsAllWhitespace(text, lineStart))
        {
            return text[..lineStart];
        }

        return text;
    }

    /// <summary>Whitespace control after a tag ending at <see cref="pos"/>: '-' eats all whitespace, trim_blocks one newline.</summary>
    private void ApplyRightControl(char sign, bool blockOrComment)
    {
        int tagEnd = pos;
        if (sign == '-')
        {
            while (pos < s.Length && char.IsWhiteSpace(s[pos]))
            {
                pos++;
            }
        }
        else if (sign != '+' && blockOrComment && pos < s.Length && s[pos] == '\n')
        {
            pos++;
        }

        lineStarting = pos > tagEnd && s[pos - 1] == '\n';
    }

    private static bool IsAllWhitespace(string text, int from)
    {
        for (int i = from; i < text.Length; i++)
        {
            if (!char.IsWhiteSpace(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    private void LexComment(int tagStart, int p)
    {
        int end = s.IndexOf("#}", p, StringComparison.Ordinal);
        if (end < 0)
        {
            throw source.Error(ChatTemplateErrorKind.Syntax, tagStart, "missing end of comment tag '#}'");
        }

        char sign = end - 1 >= p && (s[end - 1] == '-' || s[end - 1] == '+') ? s[end - 1] : '\0';
        pos = end + 2;
        ApplyRightControl(sign, blockOrComment: true);
    }

    /// <summary>Handles <c>{% raw %}...{% endraw %}</c>: everything between is text.</summary>
    private bool TryLexRaw(int p)
    {
        int q = SkipWhitespace(p);
        if (!StartsWordAt(q, "raw"))
        {
            return false;
        }

        q = SkipWhitespace(q + 3);
        if (string.CompareOrdinal(s, q, "-%}", 0, 3) == 0)
        {
            q = SkipWhitespace(q + 3);
        }
        else if (string.CompareOrdinal(s, q, "%}", 0, 2) == 0)
        {
            q += 2;
        }
        else
        {
            return false;
        }

        lineStarting = s[q - 1] == '\n';
        for (int i = s.IndexOf("{%", q, StringComparison.Ordinal); i >= 0; i = s.IndexOf("{%", i + 2, StringComparison.Ordinal))
        {
            int r = i + 2;
            char sign = r < s.Length && (s[r] == '-' || s[r] == '+') ? s[r] : '\0';
            r = SkipWhitespace(sign == '\0' ? r : r + 1);
            if (!StartsWordAt(r, "endraw"))
            {
                continue;
            }

            r = SkipWhitespace(r + 6);
            char endSign = r < s.Length && (s[r] == '-' || s[r] == '+') ? s[r] : '\0';
            int close = endSign == '\0' ? r : r + 1;
            if (string.CompareOrdinal(s, close, "%}", 0, 2) != 0)
            {
                continue;
            }

            AddText(ApplyLeftControl(s[q..i], sign, blockOrComment: true), q);
            pos = close + 2;
            ApplyRightControl(endSign, blockOrComment: true);
            return true;
        }

        throw source.Error(ChatTemplateErrorKind.Syntax, p, "missing '{% endraw %}'");
    }

    private bool StartsWordAt(int at, string word) =>
        string.CompareOrdinal(s, at, word, 0, word.Length) == 0
        && (at + word.Length >= s.Length || !IsNameChar(s[at + word.Length]));

    private int SkipWhitespace(int at)
    {
        while (at < s.Length && char.IsWhiteSpace(s[at]))
        {
            at++;
        }

        return at;
    }

    private static bool IsNameStart(char c) => char.IsLetter(c) || c == '_';

    private static bool IsNameChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    private void LexTag(bool variable, int tagStart, int p)
    {
        tokens.Add(new JinjaToken(variable ? JinjaTokenKind.VariableBegin : JinjaTokenKind.BlockBegin, string.Empty, tagStart));
        var brackets = new Stack<char>();
        while (true)
        {
            p = SkipWhitespace(p);
            if (p >= s.Length)
            {
                throw source.Error(ChatTemplateErrorKind.Syntax, tagStart, $"tag is not closed: expected '{(variable ? "}}" : "%}")}'");
            }

            if (brackets.Count == 0 && TryTagEnd(variable, p))
            {
                return;
            }

            char c = s[p];
            if (IsNameStart(c))
            {
                int start = p;
                while (p < s.Length && IsNameChar(s[p]))
                {
                    p++;
                }

                tokens.Add(new JinjaToken(JinjaTokenKind.Name, s[start..p], start));
            }
            else if (char.IsAsciiDigit(c))
            {
                p = LexNumber(p);
            }
            else if (c == '\'' || c == '"')
            {
                p = LexString(p);
            }
            else
            {
                p = LexOperator(p, brackets);
            }
        }
    }

    private bool TryTagEnd(bool variable, int p)
    {
        char sign = '\0';
        int close = p;
        if (s[p] == '-' || (!variable && s[p] == '+'))
        {
            sign = s[p];
            close = p + 1;
        }

        string end = variable ? "}}" : "%}";
        if (string.CompareOrdinal(s, close, end, 0, 2) != 0)
        {
            return false;
        }

        tokens.Add(new JinjaToken(variable ? JinjaTokenKind.VariableEnd : JinjaTokenKind.BlockEnd, string.Empty, p));
        pos = close + 2;
        ApplyRightControl(sign, blockOrComment: !variable);
        return true;
    }

    private int LexNumber(int p)
    {
        int start = p;
        p = SkipDigits(p);
        bool isFloat = false;
        if (p + 1 < s.Length && s[p] == '.' && char.IsAsciiDigit(s[p + 1]) && (start == 0 || s[start - 1] != '.'))
        {
            isFloat = true;
            p = SkipDigits(p + 1);
        }

        if (p < s.Length && (s[p] == 'e' || s[p] == 'E') && (start == 0 || s[start - 1] != '.'))
        {
            int q = p + 1;
            if (q < s.Length && (s[q] == '+' || s[q] == '-'))
            {
                q++;
            }

            if (q < s.Length && char.IsAsciiDigit(s[q]))
            {
                isFloat = true;
                p = SkipDigits(q);
            }
        }

        string digits = s[start..p].Replace("_", string.Empty, StringComparison.Ordinal);
        if (isFloat)
        {
            double value = double.Parse(digits, NumberStyles.Float, CultureInfo.InvariantCulture);
            tokens.Add(new JinjaToken(JinjaTokenKind.Float, digits, start, Float: value));
        }
        else
        {
            if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long value))
            {
                throw source.Error(ChatTemplateErrorKind.Syntax, start, $"integer {digits} is too large");
            }

            tokens.Add(new JinjaToken(JinjaTokenKind.Integer, digits, start, Integer: value));
        }

        return p;
    }

    private int SkipDigits(int p)
    {
        while (p < s.Length && (char.IsAsciiDigit(s[p]) || (s[p] == '_' && p + 1 < s.Length && char.IsAsciiDigit(s[p + 1]))))
        {
            p++;
        }

        return p;
    }

    private int LexString(int p)
    {
        int start = p;
        char quote = s[p++];
        var value = new StringBuilder();
        while (true)
        {
            if (p >= s.Length)
            {
                throw source.Error(ChatTemplateErrorKind.Syntax, start, "string literal is not closed");
            }

            char c = s[p];
            if (c == quote)
            {
                tokens.Add(new JinjaToken(JinjaTokenKind.String, value.ToString(), start));
                return p + 1;
            }

            if (c != '\\' || p + 1 >= s.Length)
            {
                value.Append(c);
                p++;
                continue;
            }

            p = AppendEscape(value, p + 1);
        }
    }

    /// <summary>Decodes a Python string escape whose letter is at <paramref name="p"/>; returns the offset after it.</summary>
    private int AppendEscape(StringBuilder value, int p)
    {
        char e = s[p];
        switch (e)
        {
            case '\n': return p + 1;
            case '\\': value.Append('\\'); return p + 1;
            case '\'': value.Append('\''); return p + 1;
            case '"': value.Append('"'); return p + 1;
            case 'n': value.Append('\n'); return p + 1;
            case 't': value.Append('\t'); return p + 1;
            case 'r': value.Append('\r'); return p + 1;
            case 'a': value.Append('\a'); return p + 1;
            case 'b': value.Append('\b'); return p + 1;
            case 'f': value.Append('\f'); return p + 1;
            case 'v': value.Append('\v'); return p + 1;
            case 'x': return AppendHexEscape(value, p, 2);
            case 'u': return AppendHexEscape(value, p, 4);
            case 'U': return AppendHexEscape(value, p, 8);
            default:
                if (e is >= '0' and <= '7')
                {
                    int code = 0;
                    int q = p;
                    while (q < p + 3 && q < s.Length && s[q] is >= '0' and <= '7')
                    {
                        code = (code * 8) + (s[q] - '0');
                        q++;
                    }

                    value.Append((char)code);
                    return q;
                }

                value.Append('\\').Append(e);
                return p + 1;
        }
    }

    private int AppendHexEscape(StringBuilder value, int p, int digits)
    {
        if (p + digits >= s.Length
            || !int.TryParse(s.AsSpan(p + 1, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code)
            || code > 0x10FFFF)
        {
            throw source.Error(ChatTemplateErrorKind.Syntax, p - 1, $"invalid \\{s[p]} escape in string literal");
        }

        value.Append(char.ConvertFromUtf32(code));
        return p + 1 + digits;
    }

    private int LexOperator(int p, Stack<char> brackets)
    {
        foreach (string op in Operators)
        {
            if (string.CompareOrdinal(s, p, op, 0, op.Length) != 0)
            {
                continue;
            }

            switch (op)
            {
                case "(": brackets.Push(')'); break;
                case "[": brackets.Push(']'); break;
                case "{": brackets.Push('}'); break;
                case ")" or "]" or "}":
                    if (brackets.Count == 0)
                    {
                        throw source.Error(ChatTemplateErrorKind.Syntax, p, $"unexpected '{op}'");
                    }

                    char expected = brackets.Pop();
                    if (expected != op[0])
                    {
                        throw source.Error(ChatTemplateErrorKind.Syntax, p, $"unexpected '{op}', expected '{expected}'");
                    }

                    break;
            }

            tokens.Add(new JinjaToken(JinjaTokenKind.Operator, op, p));
            return p + op.Length;
        }

        throw source.Error(ChatTemplateErrorKind.Syntax, p, $"unexpected character '{s[p]}'");
    }
}
