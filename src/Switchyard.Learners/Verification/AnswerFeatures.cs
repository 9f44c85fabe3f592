using System.Buffers;
using Microsoft.Extensions.AI;

namespace Switchyard.Routing.Learners.Verification;

/// <summary>
/// A fixed, dense vector of <see cref="Count"/> features of one answer to one conversation, read by the learned
/// cascade verifier (<see cref="VerifierModel"/>): how long and how structured the answer is, whether it commits to a
/// final answer, whether it hedges or loops, how long the prompt was, and, when the model reported them, how confident
/// it was token by token. Every feature is a plain number on its own natural scale; the model standardises them.
/// </summary>
/// <remarks>
/// <para>The features, by index (<see cref="Names"/> holds the names written to model files):</para>
/// <list type="table">
/// <item><term>0 <c>answer_log_chars</c></term><description>ln(1 + characters of the answer).</description></item>
/// <item><term>1 <c>answer_log_words</c></term><description>ln(1 + words): runs of letters, digits, <c>'</c> and <c>_</c>.</description></item>
/// <item><term>2 <c>answer_log_lines</c></term><description>ln(1 + non-blank lines).</description></item>
/// <item><term>3 <c>final_hash</c></term><description>1 when a line starts (after spaces) with <c>####</c>, the GSM8K final-answer marker; else 0.</description></item>
/// <item><term>4 <c>final_phrase</c></term><description>1 when the answer says "the answer is", "answer:", "final answer" or "answer =" (any case); else 0.</description></item>
/// <item><term>5 <c>final_boxed</c></term><description>1 when the answer contains <c>\boxed{</c>; else 0.</description></item>
/// <item><term>6 <c>trailing_number</c></term><description>1 when the last non-blank line ends with a number (then only closing punctuation, markdown, <c>$</c>, <c>%</c> or units of at most 12 letters); else 0.</description></item>
/// <item><term>7 <c>log_numbers</c></term><description>ln(1 + numbers): maximal runs of digits, with <c>,</c> or <c>.</c> between digits.</description></item>
/// <item><term>8 <c>log_hedges</c></term><description>ln(1 + hedging phrases): each occurrence (any case, at word boundaries) of one of <see cref="HedgePhrases"/>.</description></item>
/// <item><term>9 <c>trigram_distinct</c></term><description>Distinct word 3-grams / all word 3-grams (words compared ignoring case); 1 for an answer with no repetition, near 0 for a degenerate loop; 1 when there are fewer than three words.</description></item>
/// <item><term>10 <c>code_fence</c></term><description>1 when a line starts with <c>```</c>; else 0.</description></item>
/// <item><term>11 <c>list_share</c></term><description>Share of non-blank lines that are list items (<c>-</c>, <c>*</c>, <c>•</c> or a number followed by <c>.</c> or <c>)</c>, then a space).</description></item>
/// <item><term>12 <c>prompt_log_chars</c></term><description>ln(1 + characters of the prompt: the last user message).</description></item>
/// <item><term>13 <c>log_length_ratio</c></term><description>ln((1 + answer characters) / (1 + prompt characters)).</description></item>
/// <item><term>14 <c>final_fractional</c></term><description>1 when the final answer's number (the last number of the final-answer segment, see below) has a non-zero fractional part; else 0. Counting questions rarely have fractional answers.</description></item>
/// <item><term>15 <c>final_mismatch</c></term><description>1 when the text before the final-answer segment has a computed result (a number right after <c>=</c>) and the last such result differs from the final answer's number; else 0. A final answer that no step computed is often a slip.</description></item>
/// <item><term>16 <c>has_logprobs</c></term><description>1 when token log-probabilities were given (at least one); else 0, and so are 17–19.</description></item>
/// <item><term>17 <c>logprob_mean</c></term><description>Mean token log-probability (natural log, ≤ 0).</description></item>
/// <item><term>18 <c>logprob_min</c></term><description>Lowest token log-probability.</description></item>
/// <item><term>19 <c>logprob_p10</c></term><description>10th percentile of the token log-probabilities (linear interpolation between order statistics).</description></item>
/// </list>
/// <para>
/// The final-answer segment is the last line starting with <c>####</c>; else from the last <c>\boxed{</c> on;
/// else the text after the last "answer is"/"answer:" (any case); else the last non-blank line. Numbers there are
/// read with <c>,</c> between digits as a thousands separator and a <c>-</c> right before them as a sign.
/// </para>
/// <para>
/// Allocation: computing into a caller's span allocates nothing for answers up to about 2,000 words (larger ones rent
/// one buffer from the shared <see cref="ArrayPool{T}"/>); sorting log-probabilities also rents. Log-probabilities
/// that are not finite are ignored, and values above 0 count as 0.
/// </para>
/// </remarks>
public static class AnswerFeatures
{
    /// <summary>Number of features.</summary>
    public const int Count = 20;

    /// <summary>Index of ln(1 + answer characters).</summary>
    public const int AnswerLogChars = 0;

    /// <summary>Index of ln(1 + answer words).</summary>
    public const int AnswerLogWords = 1;

    /// <summary>Index of ln(1 + non-blank answer lines).</summary>
    public const int AnswerLogLines = 2;

    /// <summary>Index of the <c>####</c> final-answer indicator.</summary>
    public const int FinalHash = 3;

    /// <summary>Index of the "the answer is" indicator.</summary>
    public const int FinalPhrase = 4;

    /// <summary>Index of the <c>\boxed{</c> indicator.</summary>
    public const int FinalBoxed = 5;

    /// <summary>Index of the trailing-number indicator.</summary>
    public const int TrailingNumber = 6;

    /// <summary>Index of ln(1 + numbers in the answer).</summary>
    public const int LogNumbers = 7;

    /// <summary>Index of ln(1 + hedging phrases).</summary>
    public const int LogHedges = 8;

    /// <summary>Index of the distinct/total word 3-gram ratio.</summary>
    public const int TrigramDistinct = 9;

    /// <summary>Index of the code-fence indicator.</summary>
    public const int CodeFence = 10;

    /// <summary>Index of the share of list lines.</summary>
    public const int ListShare = 11;

    /// <summary>Index of ln(1 + prompt characters).</summary>
    public const int PromptLogChars = 12;

    /// <summary>Index of ln((1 + answer characters) / (1 + prompt characters)).</summary>
    public const int LogLengthRatio = 13;

    /// <summary>Index of the fractional-final-answer indicator.</summary>
    public const int FinalFractional = 14;

    /// <summary>Index of the indicator that the final answer differs from the last computed result.</summary>
    public const int FinalMismatch = 15;

    /// <summary>Index of the indicator that token log-probabilities were given.</summary>
    public const int HasLogProbs = 16;

    /// <summary>Index of the mean token log-probability.</summary>
    public const int LogProbMean = 17;

    /// <summary>Index of the lowest token log-probability.</summary>
    public const int LogProbMin = 18;

    /// <summary>Index of the 10th percentile token log-probability.</summary>
    public const int LogProbP10 = 19;

    private const int StackWords = 2048;

    /// <summary>The features' names, by index (as written to model files).</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "answer_log_chars", "answer_log_words", "answer_log_lines", "final_hash", "final_phrase", "final_boxed",
        "trailing_number", "log_numbers", "log_hedges", "trigram_distinct", "code_fence", "list_share",
        "prompt_log_chars", "log_length_ratio", "final_fractional", "final_mismatch", "has_logprobs", "logprob_mean", "logprob_min", "logprob_p10",
    ];

    /// <summary>The hedging phrases counted by <c>log_hedges</c> (lower case; matched ignoring case at word boundaries).</summary>
    public static IReadOnlyList<string> HedgePhrases { get; } =
    [
        "i think", "i believe", "maybe", "perhaps", "probably", "possibly", "might", "not sure", "unsure", "uncertain",
        "cannot", "can't", "unable", "unclear", "ambiguous", "approximately", "roughly", "it seems", "assume",
        "assuming", "i'm sorry", "i apologize", "not possible", "impossible", "estimate", "however",
    ];

    private static readonly string[] AnswerPhrases = ["the answer is", "answer:", "final answer", "answer ="];

    /// <summary>The features of <paramref name="answer"/> to <paramref name="messages"/> (the prompt is the last user message).</summary>
    /// <param name="messages">The conversation the answer replies to.</param>
    /// <param name="answer">The answer text.</param>
    /// <param name="logProbs">The answer's token log-probabilities, when the model reported them; null or empty when not.</param>
    /// <returns>A new array of <see cref="Count"/> features.</returns>
    public static float[] Compute(IReadOnlyList<ChatMessage> messages, string answer, IReadOnlyList<double>? logProbs = null)
    {
        var features = new float[Count];
        Compute(PromptEncoder.TextOf(messages), answer, logProbs, features);
        return features;
    }

    /// <summary>Writes the features of <paramref name="answer"/> to <paramref name="prompt"/> into <paramref name="destination"/>.</summary>
    /// <param name="prompt">The prompt (the last user message's text).</param>
    /// <param name="answer">The answer text.</param>
    /// <param name="logProbs">The answer's token log-probabilities, when the model reported them; null or empty when not.</param>
    /// <param name="destination">At least <see cref="Count"/> long; the first <see cref="Count"/> entries are overwritten.</param>
    public static void Compute(ReadOnlySpan<char> prompt, ReadOnlySpan<char> answer, IReadOnlyList<double>? logProbs, Span<float> destination)
    {
        if (destination.Length < Count)
        {
            throw new ArgumentException($"The destination must hold {Count} features.", nameof(destination));
        }

        var f = destination[..Count];
        f.Clear();
        f[AnswerLogChars] = Log1p(answer.Length);
        TextShape(answer, f);
        f[FinalHash] = HasLineStartingWith(answer, "####") ? 1 : 0;
        f[FinalPhrase] = ContainsAny(answer, AnswerPhrases) ? 1 : 0;
        f[FinalBoxed] = answer.Contains("\\boxed{", StringComparison.Ordinal) ? 1 : 0;
        f[TrailingNumber] = EndsWithNumber(answer) ? 1 : 0;
        f[LogHedges] = Log1p(CountHedges(answer));
        f[CodeFence] = HasLineStartingWith(answer, "```") ? 1 : 0;
        f[PromptLogChars] = Log1p(prompt.Length);
        f[LogLengthRatio] = (float)Math.Log((1.0 + answer.Length) / (1.0 + prompt.Length));
        FinalNumberFeatures(answer, f);
        LogProbFeatures(logProbs, f);
    }

    /// <summary>How many hedging phrases (<see cref="HedgePhrases"/>) occur in <paramref name="text"/>, ignoring case, at word boundaries.</summary>
    /// <param name="text">Any text.</param>
    /// <returns>The number of occurrences (overlapping phrases each count).</returns>
    public static int CountHedges(ReadOnlySpan<char> text)
    {
        var count = 0;
        foreach (var phrase in HedgePhrases)
        {
            count += CountWholeWord(text, phrase);
        }

        return count;
    }

    private static float Log1p(double value) => (float)Math.Log(1 + value);

    // Words, lines, numbers, list lines and the 3-gram ratio, in one pass over the text.
    private static void TextShape(ReadOnlySpan<char> text, Span<float> f)
    {
        var rented = (int[]?)null;
        Span<int> wordHashes = stackalloc int[StackWords];
        var words = 0;
        var numbers = 0;
        var lines = 0;
        var listLines = 0;
        var i = 0;
        while (i < text.Length)
        {
            // One line at a time.
            var end = text[i..].IndexOfAny('\n', '\r');
            var line = end < 0 ? text[i..] : text.Slice(i, end);
            i = end < 0 ? text.Length : i + end + 1;
            var trimmed = line.Trim();
            if (trimmed.IsEmpty)
            {
                continue;
            }

            lines++;
            listLines += IsListItem(trimmed) ? 1 : 0;
            numbers += CountNumbers(line);
            var j = 0;
            while (j < line.Length)
            {
                if (!IsWordChar(line[j]))
                {
                    j++;
                    continue;
                }

                var start = j;
                while (j < line.Length && IsWordChar(line[j]))
                {
                    j++;
                }

                if (words == wordHashes.Length)
                {
                    var bigger = ArrayPool<int>.Shared.Rent(wordHashes.Length * 2);
                    wordHashes.CopyTo(bigger);
                    if (rented is not null)
                    {
                        ArrayPool<int>.Shared.Return(rented);
                    }

                    rented = bigger;
                    wordHashes = bigger;
                }

                wordHashes[words++] = WordHash(line[start..j]);
            }
        }

        f[AnswerLogWords] = Log1p(words);
        f[AnswerLogLines] = Log1p(lines);
        f[LogNumbers] = Log1p(numbers);
        f[ListShare] = lines > 0 ? (float)listLines / lines : 0;
        f[TrigramDistinct] = DistinctTrigramShare(wordHashes[..words]);
        if (rented is not null)
        {
            ArrayPool<int>.Shared.Return(rented);
        }
    }

    // Maximal runs of digits, with ',' or '.' between two digits ("1,200.50" is one number).
    private static int CountNumbers(ReadOnlySpan<char> line)
    {
        var count = 0;
        var j = 0;
        while (j < line.Length)
        {
            if (!char.IsAsciiDigit(line[j]))
            {
                j++;
                continue;
            }

            count++;
            j++;
            while (j < line.Length && (char.IsAsciiDigit(line[j]) || (line[j] is ',' or '.' && j + 1 < line.Length && char.IsAsciiDigit(line[j + 1]))))
            {
                j++;
            }
        }

        return count;
    }

    // FNV-1a over the lower-cased characters: deterministic across processes (string.GetHashCode is not).
    private static int WordHash(ReadOnlySpan<char> word)
    {
        var hash = 2166136261u;
        foreach (var c in word)
        {
            hash = (hash ^ char.ToLowerInvariant(c)) * 16777619u;
        }

        return unchecked((int)hash);
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c is '\'' or '_' or '’';

    private static float DistinctTrigramShare(ReadOnlySpan<int> words)
    {
        var n = words.Length - 2;
        if (n <= 0)
        {
            return 1;
        }

        var trigrams = ArrayPool<long>.Shared.Rent(n);
        try
        {
            for (var k = 0; k < n; k++)
            {
                // Two 32-bit hashes fill the long and the third is mixed in; a (rare) collision merges two 3-grams.
                trigrams[k] = ((long)words[k] << 32) ^ (uint)words[k + 1] ^ ((long)words[k + 2] * 0x9E3779B1L);
            }

            var span = trigrams.AsSpan(0, n);
            span.Sort();
            var distinct = 1;
            for (var k = 1; k < n; k++)
            {
                distinct += span[k] != span[k - 1] ? 1 : 0;
            }

            return (float)distinct / n;
        }
        finally
        {
            ArrayPool<long>.Shared.Return(trigrams);
        }
    }

    private static bool IsListItem(ReadOnlySpan<char> line)
    {
        if (line.Length >= 2 && line[0] is '-' or '*' or '•' && line[1] == ' ')
        {
            return true;
        }

        var k = 0;
        while (k < line.Length && k < 4 && char.IsAsciiDigit(line[k]))
        {
            k++;
        }

        return k > 0 && k + 1 < line.Length && line[k] is '.' or ')' && line[k + 1] == ' ';
    }

    private static bool HasLineStartingWith(ReadOnlySpan<char> text, string marker)
    {
        var at = 0;
        while (at < text.Length)
        {
            var found = text[at..].IndexOf(marker, StringComparison.Ordinal);
            if (found < 0)
            {
                return false;
            }

            var position = at + found;
            var before = position - 1;
            while (before >= 0 && text[before] is ' ' or '\t')
            {
                before--;
            }

            if (before < 0 || text[before] is '\n' or '\r')
            {
                return true;
            }

            at = position + marker.Length;
        }

        return false;
    }

    private static bool ContainsAny(ReadOnlySpan<char> text, string[] phrases)
    {
        foreach (var phrase in phrases)
        {
            if (text.Contains(phrase, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static int CountWholeWord(ReadOnlySpan<char> text, string phrase)
    {
        var count = 0;
        var at = 0;
        while (at < text.Length)
        {
            var found = text[at..].IndexOf(phrase, StringComparison.OrdinalIgnoreCase);
            if (found < 0)
            {
                break;
            }

            var start = at + found;
            var end = start + phrase.Length;
            if ((start == 0 || !char.IsLetterOrDigit(text[start - 1])) && (end == text.Length || !char.IsLetterOrDigit(text[end])))
            {
                count++;
            }

            at = start + 1;
        }

        return count;
    }

    // The last non-blank line ends with a number, then at most closing punctuation, markdown, currency/percent signs
    // and one short unit word ("18 dollars.", "**42**", "$1,200.00", "3 bolts").
    private static bool EndsWithNumber(ReadOnlySpan<char> text)
    {
        var line = text.TrimEnd();
        var lastBreak = line.LastIndexOfAny('\n', '\r');
        line = line[(lastBreak + 1)..];
        var k = line.Length;
        while (k > 0 && line[k - 1] is '.' or '!' or ')' or ']' or '}' or '*' or '_' or '$' or '%' or '"' or '\'' or '`' or ' ' or '\t')
        {
            k--;
        }

        var letters = 0;
        while (k > 0 && char.IsLetter(line[k - 1]))
        {
            k--;
            letters++;
        }

        if (letters > 12)
        {
            return false;
        }

        while (letters > 0 && k > 0 && line[k - 1] is ' ' or '$' or '%' or '*')
        {
            k--;
        }

        return k > 0 && char.IsAsciiDigit(line[k - 1]);
    }

    private static void FinalNumberFeatures(ReadOnlySpan<char> text, Span<float> f)
    {
        var segmentStart = FinalSegmentStart(text, out var segmentLength);
        if (segmentStart < 0 || !TryLastNumber(text.Slice(segmentStart, segmentLength), out var final))
        {
            return;
        }

        f[FinalFractional] = final != Math.Floor(final) ? 1 : 0;
        if (TryLastComputed(text[..segmentStart], out var computed))
        {
            f[FinalMismatch] = Math.Abs(computed - final) > 1e-9 * Math.Max(1, Math.Abs(final)) ? 1 : 0;
        }
    }

    // Where the final-answer segment starts (and its length), or -1 for a blank text.
    private static int FinalSegmentStart(ReadOnlySpan<char> text, out int length)
    {
        // The last line starting with ####.
        var at = text.Length;
        while (at > 0)
        {
            var found = text[..at].LastIndexOf("####", StringComparison.Ordinal);
            if (found < 0)
            {
                break;
            }

            var before = found - 1;
            while (before >= 0 && text[before] is ' ' or '\t')
            {
                before--;
            }

            if (before < 0 || text[before] is '\n' or '\r')
            {
                var end = text[found..].IndexOfAny('\n', '\r');
                length = end < 0 ? text.Length - found : end;
                return found;
            }

            at = found;
        }

        var boxed = text.LastIndexOf("\\boxed{", StringComparison.Ordinal);
        if (boxed >= 0)
        {
            length = text.Length - boxed;
            return boxed;
        }

        var phrase = Math.Max(text.LastIndexOf("answer is", StringComparison.OrdinalIgnoreCase), text.LastIndexOf("answer:", StringComparison.OrdinalIgnoreCase));
        if (phrase >= 0)
        {
            length = text.Length - phrase;
            return phrase;
        }

        var trimmed = text.TrimEnd();
        if (trimmed.IsEmpty)
        {
            length = 0;
            return -1;
        }

        var lineStart = trimmed.LastIndexOfAny('\n', '\r') + 1;
        length = trimmed.Length - lineStart;
        return lineStart;
    }

    // The value of the last number in text ("1,200.50" is 1200.5; a '-' right before it makes it negative).
    private static bool TryLastNumber(ReadOnlySpan<char> text, out double value)
    {
        value = 0;
        var end = text.Length;
        while (end > 0 && !char.IsAsciiDigit(text[end - 1]))
        {
            end--;
        }

        if (end == 0)
        {
            return false;
        }

        var start = end - 1;
        while (start > 0 && (char.IsAsciiDigit(text[start - 1]) || (text[start - 1] is ',' or '.' && start > 1 && char.IsAsciiDigit(text[start - 2]))))
        {
            start--;
        }

        return TryParse(text[start..end], start > 0 && text[start - 1] == '-', out value);
    }

    // The value of the last number that directly follows '=' (spaces, '$' and '-' allowed between).
    private static bool TryLastComputed(ReadOnlySpan<char> text, out double value)
    {
        value = 0;
        var at = text.Length;
        while (at > 0)
        {
            var equals = text[..at].LastIndexOf('=');
            if (equals < 0)
            {
                return false;
            }

            var k = equals + 1;
            while (k < text.Length && text[k] is ' ' or '$')
            {
                k++;
            }

            var negative = k < text.Length && text[k] == '-';
            k += negative ? 1 : 0;
            var start = k;
            while (k < text.Length && (char.IsAsciiDigit(text[k]) || (text[k] is ',' or '.' && k > start && k + 1 < text.Length && char.IsAsciiDigit(text[k + 1]))))
            {
                k++;
            }

            if (k > start && TryParse(text[start..k], negative, out value))
            {
                return true;
            }

            at = equals;
        }

        return false;
    }

    private static bool TryParse(ReadOnlySpan<char> number, bool negative, out double value)
    {
        Span<char> digits = stackalloc char[Math.Min(number.Length, 64)];
        var n = 0;
        foreach (var c in number)
        {
            if (c != ',' && n < digits.Length)
            {
                digits[n++] = c;
            }
        }

        if (!double.TryParse(digits[..n], System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out value))
        {
            return false;
        }

        value = negative ? -value : value;
        return true;
    }

    private static void LogProbFeatures(IReadOnlyList<double>? logProbs, Span<float> f)
    {
        if (logProbs is null || logProbs.Count == 0)
        {
            return;
        }

        var buffer = ArrayPool<double>.Shared.Rent(logProbs.Count);
        try
        {
            var n = 0;
            var sum = 0.0;
            for (var k = 0; k < logProbs.Count; k++)
            {
                var v = logProbs[k];
                if (double.IsFinite(v))
                {
                    v = Math.Min(v, 0);
                    buffer[n++] = v;
                    sum += v;
                }
            }

            if (n == 0)
            {
                return;
            }

            var sorted = buffer.AsSpan(0, n);
            sorted.Sort();
            f[HasLogProbs] = 1;
            f[LogProbMean] = (float)(sum / n);
            f[LogProbMin] = (float)sorted[0];
            var position = 0.1 * (n - 1);
            var below = (int)Math.Floor(position);
            var above = Math.Min(below + 1, n - 1);
            f[LogProbP10] = (float)(sorted[below] + ((position - below) * (sorted[above] - sorted[below])));
        }
        finally
        {
            ArrayPool<double>.Shared.Return(buffer);
        }
    }
}
