using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Switchyard.Routing.Difficulty;

/// <summary>
/// Turns a conversation into sparse features for a difficulty model: text-shape features (length, turns, digits,
/// maths and code markers, multiple-choice options, …) and hashed words, word pairs and character n-grams of the last
/// user message, plus hashed words of the earlier turns and the system prompt in their own namespaces.
/// </summary>
/// <remarks>
/// One pass over bounded windows of each text (<see cref="FeaturizerSettings.MaxChars"/>), no allocation, no regex:
/// the cost per request is bounded whatever the prompt length. Digits are folded to <c>0</c> so numbers count by
/// shape, not value. Each namespace's occurrences are scaled by 1/√count, so long and short prompts weigh alike.
/// </remarks>
public sealed class ConversationFeaturizer
{
    /// <summary>Number of text-shape features; they occupy indices [0, DenseCount).</summary>
    public const int DenseCount = 16;

    /// <summary>At most this many messages before the last user message are read (the most recent ones).</summary>
    public const int MaxContextMessages = 8;

    private const uint FnvOffset = 2166136261;
    private const uint FnvPrime = 16777619;
    private const uint NsUser = 0x9E3779B1;
    private const uint NsBigram = 0x85EBCA77;
    private const uint NsChar = 0xC2B2AE3D;
    private const uint NsContext = 0x27D4EB2F;
    private const uint NsSystem = 0x165667B1;

    private readonly int _shift;

    /// <summary>Creates a featurizer.</summary>
    public ConversationFeaturizer(FeaturizerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        Settings = settings;
        _shift = 32 - settings.HashBits;
    }

    /// <summary>The settings (saved with a trained model).</summary>
    public FeaturizerSettings Settings { get; }

    /// <summary>Length of the feature vector: the shape features then 2^HashBits hashed buckets.</summary>
    public int Dimension => DenseCount + (1 << Settings.HashBits);

    /// <summary>Extracts the features of <paramref name="messages"/> into <paramref name="sink"/>.</summary>
    public void Extract<TSink>(IReadOnlyList<ChatMessage> messages, ref TSink sink)
        where TSink : struct, IFeatureSink
    {
        ArgumentNullException.ThrowIfNull(messages);
        var lastUser = -1;
        for (var i = messages.Count - 1; i >= 0; i--)
        {
            if (messages[i].Role == ChatRole.User)
            {
                lastUser = i;
                break;
            }
        }

        var last = lastUser >= 0 ? messages[lastUser].Text : string.Empty;
        var total = 0;
        var userTurns = 0;
        var hasSystem = false;
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            if (message.Role == ChatRole.System)
            {
                hasSystem = true;
            }
            else if (message.Role == ChatRole.User)
            {
                userTurns++;
            }

            var contents = message.Contents;
            for (var c = 0; c < contents.Count; c++)
            {
                if (contents[c] is TextContent text)
                {
                    total += text.Text?.Length ?? 0;
                }
            }
        }

        Window(last, out var lastHead, out var lastTail);
        var shape = new ShapeCounts();
        shape.Scan(lastHead);
        shape.Scan(lastTail);
        Shape(in shape, last.Length, total, messages.Count, userTurns, hasSystem, ref sink);
        Words(last, NsUser, Settings.WordBigrams, ref sink);
        if (Settings.CharNGram > 0)
        {
            CharGrams(last, ref sink);
        }

        var read = 0;
        for (var i = messages.Count - 1; i >= 0 && read < MaxContextMessages; i--)
        {
            if (i == lastUser)
            {
                continue;
            }

            var message = messages[i];
            var text = message.Text;
            if (text.Length == 0)
            {
                continue;
            }

            Words(text, message.Role == ChatRole.System ? NsSystem : NsContext, bigrams: false, ref sink);
            read++;
        }
    }

    private static void Shape<TSink>(in ShapeCounts c, int lastLength, int total, int messageCount, int userTurns, bool hasSystem, ref TSink sink)
        where TSink : struct, IFeatureSink
    {
        // Rates are over the characters actually read (the window), so a long prompt costs no more than MaxChars.
        float length = Math.Max(c.Read, 1);
        sink.Add(0, (float)(Math.Log(1 + lastLength) / 8));
        sink.Add(1, (float)(Math.Log(1 + total) / 10));
        sink.Add(2, Math.Min(messageCount, 32) / 8f);
        sink.Add(3, hasSystem ? 1 : 0);
        sink.Add(4, c.Digits / length);
        sink.Add(5, Math.Min(c.Maths * 10 / length, 4));
        sink.Add(6, Math.Min(c.Code * 10 / length, 4));
        sink.Add(7, (float)Math.Log(1 + c.Questions));
        sink.Add(8, System.Numerics.BitOperations.PopCount(c.Options) / 4f);
        sink.Add(9, (float)(Math.Log(1 + c.Newlines) / 4));
        sink.Add(10, c.Words == 0 ? 0 : c.WordChars / (float)c.Words / 10);
        sink.Add(11, c.Letters == 0 ? 0 : c.Upper / (float)c.Letters);
        sink.Add(12, Math.Min(userTurns, 32) / 8f);
        sink.Add(13, (float)(Math.Log(1 + c.Words) / 8));
        sink.Add(14, c.Fence ? 1 : 0);
        sink.Add(15, c.NonAscii / length);
    }

    /// <summary>Counts of the text-shape features over one or more spans of the last user message.</summary>
    private struct ShapeCounts
    {
        public int Read, Digits, Maths, Code, Questions, Newlines, Letters, Upper, Words, WordChars, NonAscii;
        public uint Options;
        public bool Fence;

        public void Scan(ReadOnlySpan<char> text)
        {
            var atLineStart = true;
            var inWord = false;
            Read += text.Length;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (char.IsLetterOrDigit(c))
                {
                    if (!inWord)
                    {
                        Words++;
                        inWord = true;
                    }

                    WordChars++;
                    if (char.IsDigit(c))
                    {
                        Digits++;
                    }
                    else
                    {
                        Letters++;
                        if (char.IsUpper(c))
                        {
                            Upper++;
                        }
                    }
                }
                else
                {
                    inWord = false;
                }

                if (c > 127)
                {
                    NonAscii++;
                }

                switch (c)
                {
                    case '+' or '-' or '*' or '/' or '=' or '^' or '<' or '>' or '%' or '\\' or '√' or '∑' or '∫' or 'π' or '≤' or '≥' or '±' or '×' or '÷':
                        Maths++;
                        break;
                    case '{' or '}' or ';' or '(' or ')' or '[' or ']' or '_':
                        Code++;
                        break;
                    case '`':
                        Code++;
                        Fence |= i + 2 < text.Length && text[i + 1] == '`' && text[i + 2] == '`';
                        break;
                    case '?':
                        Questions++;
                        break;
                    case '\n':
                        Newlines++;
                        break;
                }

                if (atLineStart && c is not (' ' or '\t' or '\n' or '\r'))
                {
                    Options |= OptionLetter(text, i);
                }

                atLineStart = c == '\n' || (atLineStart && c is ' ' or '\t' or '\r');
            }
        }
    }

    /// <summary>A bit for option letter A–J when a line starts like <c>A.</c>, <c>A)</c> or <c>(A)</c>; 0 otherwise.</summary>
    private static uint OptionLetter(ReadOnlySpan<char> text, int i)
    {
        if (text[i] == '(' && i + 2 < text.Length && text[i + 2] == ')')
        {
            i++;
        }
        else if (!(i + 1 < text.Length && text[i + 1] is '.' or ')' or ':'))
        {
            return 0;
        }

        var c = text[i];
        return c is >= 'A' and <= 'J' ? 1u << (c - 'A') : 0;
    }

    private void Words<TSink>(string text, uint ns, bool bigrams, ref TSink sink)
        where TSink : struct, IFeatureSink
    {
        Window(text, out var head, out var tail);
        var count = CountWords(head) + CountWords(tail);
        if (count == 0)
        {
            return;
        }

        var value = 1 / MathF.Sqrt(count);
        var previous = 0u;
        var hasPrevious = false;
        EmitWords(head, ns, bigrams, value, ref previous, ref hasPrevious, ref sink);
        hasPrevious = false;
        EmitWords(tail, ns, bigrams, value, ref previous, ref hasPrevious, ref sink);
    }

    private void EmitWords<TSink>(ReadOnlySpan<char> text, uint ns, bool bigrams, float value, ref uint previous, ref bool hasPrevious, ref TSink sink)
        where TSink : struct, IFeatureSink
    {
        var hash = FnvOffset;
        var inWord = false;
        for (var i = 0; i <= text.Length; i++)
        {
            var c = i < text.Length ? text[i] : ' ';
            if (char.IsLetterOrDigit(c))
            {
                hash = (hash ^ Fold(c)) * FnvPrime;
                inWord = true;
                continue;
            }

            if (!inWord)
            {
                continue;
            }

            sink.Add(Bucket(hash, ns), value);
            if (bigrams && hasPrevious)
            {
                sink.Add(Bucket((previous * FnvPrime) ^ hash, NsBigram), value);
            }

            previous = hash;
            hasPrevious = true;
            hash = FnvOffset;
            inWord = false;
        }
    }

    private void CharGrams<TSink>(string text, ref TSink sink)
        where TSink : struct, IFeatureSink
    {
        var n = Settings.CharNGram;
        Window(text, out var head, out var tail);
        var count = Math.Max(head.Length - n + 1, 0) + Math.Max(tail.Length - n + 1, 0);
        if (count == 0)
        {
            return;
        }

        var value = 1 / MathF.Sqrt(count);
        EmitCharGrams(head, n, value, ref sink);
        EmitCharGrams(tail, n, value, ref sink);
    }

    private void EmitCharGrams<TSink>(ReadOnlySpan<char> text, int n, float value, ref TSink sink)
        where TSink : struct, IFeatureSink
    {
        if (text.Length < n)
        {
            return;
        }

        // Fold every character once (case, digits, whitespace), then hash each window of n folded characters.
        char[]? rented = null;
        var folded = text.Length <= 4096 ? stackalloc char[text.Length] : (rented = System.Buffers.ArrayPool<char>.Shared.Rent(text.Length)).AsSpan(0, text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            folded[i] = char.IsWhiteSpace(c) ? ' ' : (char)Fold(c);
        }

        for (var i = 0; i + n <= folded.Length; i++)
        {
            var hash = FnvOffset;
            for (var j = i; j < i + n; j++)
            {
                hash = (hash ^ folded[j]) * FnvPrime;
            }

            sink.Add(Bucket(hash, NsChar), value);
        }

        if (rented is not null)
        {
            System.Buffers.ArrayPool<char>.Shared.Return(rented);
        }
    }

    /// <summary>The text itself when short; otherwise its first ¾·MaxChars and last ¼·MaxChars characters.</summary>
    private void Window(string text, out ReadOnlySpan<char> head, out ReadOnlySpan<char> tail)
    {
        var max = Settings.MaxChars;
        if (text.Length <= max)
        {
            head = text;
            tail = default;
            return;
        }

        var headLength = max * 3 / 4;
        head = text.AsSpan(0, headLength);
        tail = text.AsSpan(text.Length - (max - headLength));
    }

    private static int CountWords(ReadOnlySpan<char> text)
    {
        var count = 0;
        var inWord = false;
        foreach (var c in text)
        {
            var letter = char.IsLetterOrDigit(c);
            if (letter && !inWord)
            {
                count++;
            }

            inWord = letter;
        }

        return count;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Fold(char c) => char.IsDigit(c) ? '0' : char.ToLowerInvariant(c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Bucket(uint hash, uint ns)
    {
        // murmur3's finaliser spreads the FNV hash (salted by namespace) before taking the top bits.
        var h = hash ^ ns;
        h ^= h >> 16;
        h *= 0x85EBCA6B;
        h ^= h >> 13;
        h *= 0xC2B2AE35;
        h ^= h >> 16;
        return DenseCount + (int)(h >> _shift);
    }
}
