namespace Switchyard.Privacy.Scanning;

/// <summary>
/// Rewrites the ways people write an e-mail address so that filters miss it back into <c>local@domain.tld</c>:
/// <c>alice [at] example [dot] com</c>, <c>alice(at)example(dot)com</c>, <c>alice at example dot com</c>,
/// <c>alice @ example.com</c>, an address broken over lines around the <c>@</c>. Only a shape that reads as an address is
/// rewritten — a local part, an "at", and a domain of at least two labels ending in a letters-only top-level label — and
/// the plain <c>word at domain.tld</c> form (no bracket, no "dot") only when the word is not one prose puts before "at"
/// ("available at example.com", "look at docs.example.org").
/// </summary>
internal static class EmailObfuscations
{
    private static readonly HashSet<string> s_proseWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "i", "me", "us", "we", "you", "it", "him", "her", "them", "they", "he", "she", "is", "are", "was", "were", "be",
        "been", "am", "look", "looks", "looking", "looked", "available", "hosted", "host", "found", "find", "located",
        "online", "live", "lives", "published", "posted", "see", "seen", "visit", "visited", "documented", "docs",
        "documentation", "details", "info", "information", "more", "page", "site", "website", "running", "runs", "run",
        "deployed", "served", "stored", "here", "there", "up", "out", "in", "on", "now", "today", "home", "work",
        "office", "least", "first", "last", "all", "once", "best", "code", "repo", "repository", "source", "download",
        "downloads", "listed", "linked", "shown", "demo", "go", "went", "arrive", "arrived", "meet", "met", "stay",
        "stayed", "start", "started", "open", "opened", "login", "log", "sign", "signed", "register", "registered",
        "buy", "bought", "sold", "order", "ordered", "shop", "apply", "applied", "check", "checked", "or", "and",
        "but", "not", "only", "also", "just", "still", "even", "both", "either", "internship", "job", "engineer",
        "developer", "intern", "working", "worked", "works", "employed", "hired", "student", "studied", "study",
        "studying", "team", "lead", "manager", "director", "ceo", "cto", "founder", "staff", "member", "members",
        "account", "accounts", "profile", "mirror", "mirrored", "api", "endpoint", "service", "server", "instance",
        "docs", "blog", "article", "articles", "post", "posts", "news", "read", "reading", "watch", "watching",
        "playing", "play", "played", "stream", "streaming", "sale", "sales", "offer", "offered", "price", "priced",
    };

    /// <summary>The view with every obfuscated address rewritten, or <paramref name="view"/> itself when there is none.</summary>
    /// <param name="view">The text.</param>
    /// <param name="words">
    /// Whether the plain <c>word at domain.tld</c> form counts. Off where lines were joined: "…placeat at maiores." and
    /// "Internationalization" on the next line would read as a domain.
    /// </param>
    public static TextView Rewrite(TextView view, bool words = true)
    {
        string text = view.Text;
        if (!MayContain(text))
        {
            return view;
        }

        List<(int Start, int End, char With)>? edits = null;
        int i = 0;
        while (i < text.Length)
        {
            // Jump to the next '@' or "at" that stands alone; the separator starts at the spaces (or bracket) before it.
            int candidate = NextCandidate(text, i);
            if (candidate < 0)
            {
                break;
            }

            int probe = SeparatorStart(text, candidate, Math.Max(i, 0));
            if (!TryAtSeparator(text, probe, out int sepStart, out int sepEnd, out AtKind kind) || sepEnd <= candidate)
            {
                i = candidate + 1;
                continue;
            }

            var local = LocalPart(text, sepStart);
            if (local.Length == 0 || !TryDomain(text, sepEnd, out int domainEnd, out List<(int Start, int End)> dots, out bool plainDots)
                || FollowedByAddress(text, domainEnd))
            {
                i = Math.Max(i + 1, sepEnd);
                continue;
            }

            bool rewrite = kind switch
            {
                AtKind.Bracketed => true,
                // "alice @ example.com", "alice@\nexample.com"; not "follow @jane.doe", which is a handle.
                AtKind.Symbol => (sepEnd > 0 && IsSpace(text[sepEnd - 1])) || !plainDots,
                _ when !words => false,
                _ => !plainDots || (!s_proseWords.Contains(LastSegment(local).ToString()) && !(domainEnd < text.Length && text[domainEnd] == '/')),
            };
            if (rewrite)
            {
                edits ??= [];
                edits.Add((sepStart, sepEnd, '@'));
                foreach (var (start, end) in dots)
                {
                    if (end - start != 1 || text[start] != '.')
                    {
                        edits.Add((start, end, '.'));
                    }
                }
            }

            i = domainEnd;
        }

        if (edits is null)
        {
            return view;
        }

        var builder = new ViewBuilder(view, text.Length);
        int position = 0;
        foreach (var (start, end, with) in edits)
        {
            builder.Copy(position, start);
            builder.Append(with, start, end);
            position = end;
        }

        builder.Copy(position, text.Length);
        return builder.Build();
    }

    private enum AtKind
    {
        Symbol,
        Bracketed,
        Word,
    }

    private static readonly System.Buffers.SearchValues<char> s_atStart = System.Buffers.SearchValues.Create("@aA");

    /// <summary>The index of the next '@', or of an "at" between a space or bracket and a space or bracket, from <paramref name="from"/>.</summary>
    private static int NextCandidate(string text, int from)
    {
        while (from < text.Length)
        {
            int k = text.AsSpan(from).IndexOfAny(s_atStart);
            if (k < 0)
            {
                return -1;
            }

            k += from;
            if (text[k] == '@'
                || (k + 2 < text.Length && text[k + 1] is 't' or 'T' && k > 0 && (IsSpace(text[k - 1]) || IsOpen(text[k - 1])) && (IsSpace(text[k + 2]) || IsClose(text[k + 2]))))
            {
                return k;
            }

            from = k + 1;
        }

        return -1;
    }

    /// <summary>Where the separator around the candidate at <paramref name="candidate"/> starts: its leading spaces and bracket.</summary>
    private static int SeparatorStart(string text, int candidate, int floor)
    {
        int p = candidate;
        if (text[p] != '@' && p > floor && IsOpen(text[p - 1]))
        {
            p--;
            while (p > floor && IsSpace(text[p - 1]) && p - 1 > floor)
            {
                p--;
            }

            return p;
        }

        while (p > floor && IsSpace(text[p - 1]))
        {
            p--;
        }

        return p;
    }

    /// <summary>A cheap test: an '@', or the letters "at" right after a space or an opening bracket.</summary>
    private static bool MayContain(string text)
    {
        if (text.Contains('@', StringComparison.Ordinal))
        {
            return true;
        }

        int from = 0;
        while (true)
        {
            int k = text.AsSpan(from).IndexOfAny('t', 'T');
            if (k < 0)
            {
                return false;
            }

            k += from;
            if (k >= 2 && text[k - 1] is 'a' or 'A' && (IsSpace(text[k - 2]) || IsOpen(text[k - 2])))
            {
                return true;
            }

            from = k + 1;
        }
    }

    /// <summary>An "at" separator starting at <paramref name="i"/> (its leading spaces included), with its span.</summary>
    private static bool TryAtSeparator(string text, int i, out int start, out int end, out AtKind kind)
    {
        start = i;
        end = i;
        kind = AtKind.Symbol;
        int p = i;
        while (p < text.Length && IsSpace(text[p]))
        {
            p++;
        }

        bool leadingSpace = p > i;
        if (p >= text.Length)
        {
            return false;
        }

        if (text[p] == '@')
        {
            if (!leadingSpace && i > 0 && IsSpace(text[i - 1]))
            {
                return false; // the separator starts at the first space
            }

            end = SkipSpaces(text, p + 1);
            kind = AtKind.Symbol;
            return true;
        }

        if (IsOpen(text[p]))
        {
            int q = SkipSpaces(text, p + 1);
            if (q + 2 <= text.Length && IsAt(text, q))
            {
                q = SkipSpaces(text, q + 2);
                if (q < text.Length && IsClose(text[q]))
                {
                    end = SkipSpaces(text, q + 1);
                    kind = AtKind.Bracketed;
                    return true;
                }
            }

            return false;
        }

        if (leadingSpace && IsAt(text, p) && p + 2 < text.Length && IsSpace(text[p + 2]))
        {
            end = SkipSpaces(text, p + 2);
            kind = AtKind.Word;
            return true;
        }

        return false;
    }

    /// <summary>The word right before "at": "brief.Look" (two sentences run together) is judged by "Look".</summary>
    private static ReadOnlySpan<char> LastSegment(ReadOnlySpan<char> local)
    {
        int dot = local.LastIndexOf('.');
        return dot < 0 ? local : local[(dot + 1)..];
    }

    /// <summary>"Contact Ann at Jo.Roe@example.com": what follows "at" is itself the local part of a real address.</summary>
    private static bool FollowedByAddress(string text, int domainEnd)
    {
        int p = domainEnd;
        while (p < text.Length && p - domainEnd < 64 && IsLocalChar(text[p]))
        {
            p++;
        }

        return p < text.Length && text[p] == '@';
    }

    private static ReadOnlySpan<char> LocalPart(string text, int sepStart)
    {
        int start = sepStart;
        while (start > 0 && sepStart - start < 64 && IsLocalChar(text[start - 1]))
        {
            start--;
        }

        while (start < sepStart && !char.IsLetterOrDigit(text[start]))
        {
            start++;
        }

        if (start == sepStart || !char.IsLetterOrDigit(text[sepStart - 1]))
        {
            return [];
        }

        return text.AsSpan(start, sepStart - start);
    }

    /// <summary>A domain of two or more labels after <paramref name="from"/>; <paramref name="dots"/> are its separators.</summary>
    private static bool TryDomain(string text, int from, out int end, out List<(int Start, int End)> dots, out bool plainDots)
    {
        dots = [];
        plainDots = true;
        end = from;
        int labelEnd = Label(text, from);
        if (labelEnd == from)
        {
            return false;
        }

        int lastLabelStart = from;
        int p = labelEnd;
        while (p < text.Length && dots.Count < 10)
        {
            if (!TryDot(text, p, out int dotEnd, out bool plain))
            {
                break;
            }

            int next = Label(text, dotEnd);
            if (next == dotEnd)
            {
                break;
            }

            dots.Add((p, dotEnd));
            plainDots &= plain;
            lastLabelStart = dotEnd;
            p = next;
        }

        if (dots.Count == 0)
        {
            return false;
        }

        // The top-level label: letters only, at least two.
        int tld = p - lastLabelStart;
        for (int k = lastLabelStart; k < p; k++)
        {
            if (!char.IsLetter(text[k]))
            {
                return false;
            }
        }

        end = p;
        return tld >= 2;
    }

    private static bool TryDot(string text, int p, out int end, out bool plain)
    {
        end = p;
        plain = false;
        if (text[p] == '.')
        {
            end = p + 1;
            plain = true;
            return true;
        }

        int q = SkipSpaces(text, p);
        if (q < text.Length && IsOpen(text[q]))
        {
            int r = SkipSpaces(text, q + 1);
            if (r + 3 <= text.Length && IsDot(text, r))
            {
                r = SkipSpaces(text, r + 3);
                if (r < text.Length && IsClose(text[r]))
                {
                    end = SkipSpaces(text, r + 1);
                    return true;
                }
            }

            return false;
        }

        if (q > p && q + 3 < text.Length && IsDot(text, q) && IsSpace(text[q + 3]))
        {
            end = SkipSpaces(text, q + 3);
            return true;
        }

        return false;
    }

    private static int Label(string text, int from)
    {
        int p = from;
        while (p < text.Length && p - from < 63 && (char.IsLetterOrDigit(text[p]) || (text[p] == '-' && p > from)))
        {
            p++;
        }

        while (p > from && text[p - 1] == '-')
        {
            p--;
        }

        return p;
    }

    private static bool IsAt(string text, int p) => p + 1 < text.Length && text[p] is 'a' or 'A' && text[p + 1] is 't' or 'T';

    private static bool IsDot(string text, int p) =>
        p + 2 < text.Length && text[p] is 'd' or 'D' && text[p + 1] is 'o' or 'O' && text[p + 2] is 't' or 'T';

    private static int SkipSpaces(string text, int p)
    {
        while (p < text.Length && IsSpace(text[p]))
        {
            p++;
        }

        return p;
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\r';

    private static bool IsOpen(char c) => c is '[' or '(' or '{' or '<';

    private static bool IsClose(char c) => c is ']' or ')' or '}' or '>';

    private static bool IsLocalChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '%' or '+' or '-' or '\'' || (c > '\u007f' && char.IsLetterOrDigit(c));
}
