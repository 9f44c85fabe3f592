using System.Text;

namespace Switchyard.Local.Tokenization;

/// <summary>
/// Cuts special tokens out of the input before the tokenizer proper runs, as llama.cpp does: special tokens are tried
/// longest first, each one splitting every raw-text fragment at all its occurrences. User-defined tokens are always
/// matched; control and unknown tokens only when special tokens are parsed. A token marked lstrip/rstrip swallows the
/// ASCII whitespace before/after it.
/// </summary>
internal sealed class SpecialTokenPartitioner
{
    private readonly int[] _candidates;
    private readonly IReadOnlyList<string> _texts;
    private readonly TokenAttributes[] _attributes;

    public SpecialTokenPartitioner(IReadOnlyList<string> texts, TokenAttributes[] attributes)
    {
        _texts = texts;
        _attributes = attributes;
        const TokenAttributes special = TokenAttributes.Control | TokenAttributes.UserDefined | TokenAttributes.Unknown;
        _candidates = Enumerable.Range(0, texts.Count)
            .Where(id => (attributes[id] & special) != 0 && texts[id].Length > 0)
            .OrderByDescending(id => Encoding.UTF8.GetByteCount(texts[id]))
            .ThenBy(id => id)
            .ToArray();
    }

    /// <summary>The special tokens in the order they are matched (longest first).</summary>
    public IReadOnlyList<int> Candidates => _candidates;

    public List<TextFragment> Partition(string text, bool parseSpecial)
    {
        var fragments = new List<TextFragment>(4);
        if (text.Length == 0)
        {
            return fragments;
        }

        fragments.Add(TextFragment.Text(0, text.Length));
        List<TextFragment>? next = null;
        foreach (int id in _candidates)
        {
            TokenAttributes attr = _attributes[id];
            if (!parseSpecial && (attr & (TokenAttributes.Control | TokenAttributes.Unknown)) != 0)
            {
                continue;
            }

            string special = _texts[id];
            if (!text.Contains(special, StringComparison.Ordinal))
            {
                continue;
            }

            next ??= new List<TextFragment>(fragments.Count + 4);
            next.Clear();
            foreach (TextFragment fragment in fragments)
            {
                if (fragment.IsToken)
                {
                    next.Add(fragment);
                }
                else
                {
                    Split(text, fragment, id, special, attr, next);
                }
            }

            (fragments, next) = (next, fragments);
        }

        return fragments;
    }

    private static void Split(string text, TextFragment fragment, int id, string special, TokenAttributes attr, List<TextFragment> output)
    {
        int start = fragment.Start;
        int end = fragment.Start + fragment.Length;
        while (start < end)
        {
            int match = text.AsSpan(start, end - start).IndexOf(special, StringComparison.Ordinal);
            if (match < 0)
            {
                break;
            }

            match += start;
            int leftEnd = match;
            if ((attr & TokenAttributes.LStrip) != 0)
            {
                while (leftEnd > start && IsAsciiSpace(text[leftEnd - 1]))
                {
                    leftEnd--;
                }
            }

            if (leftEnd > start)
            {
                output.Add(TextFragment.Text(start, leftEnd - start));
            }

            output.Add(TextFragment.Token(id));
            start = match + special.Length;
            if ((attr & TokenAttributes.RStrip) != 0)
            {
                while (start < end && IsAsciiSpace(text[start]))
                {
                    start++;
                }
            }
        }

        if (start < end)
        {
            output.Add(TextFragment.Text(start, end - start));
        }
    }

    private static bool IsAsciiSpace(char c) => c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r';
}
