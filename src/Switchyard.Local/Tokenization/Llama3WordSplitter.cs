namespace Switchyard.Local.Tokenization;

/// <summary>
/// A hand-written matcher for the Llama 3 pre-tokenizer regex
/// <c>(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+</c>,
/// behaving as llama.cpp's does.
/// </summary>
internal sealed class Llama3WordSplitter : WordSplitter
{
    public static readonly Llama3WordSplitter Instance = new();

    private const CodepointFlags LetterNumberSpace = CodepointFlags.Letter | CodepointFlags.Number | CodepointFlags.Whitespace;

    public override void Split(CodepointText text, List<int> segments, List<int> output)
    {
        int start = 0;
        foreach (int length in segments)
        {
            SplitSegment(new SegmentCursor(text, start, start + length, output));
            start += length;
        }
    }

    private static int AsciiLower(int c) => c is >= 'A' and <= 'Z' ? c + 32 : c;

    private static void SplitSegment(SegmentCursor s)
    {
        int pos = s.Start;
        while (pos < s.End)
        {
            int c = s.At(pos);
            CodepointFlags flags = s.FlagsAt(pos);

            // (?i:'s|'t|'re|'ve|'m|'ll|'d)
            if (c == '\'' && pos + 1 < s.End)
            {
                int next = AsciiLower(s.At(pos + 1));
                if (next is 's' or 't' or 'm' or 'd')
                {
                    pos = s.Emit(pos + 2);
                    continue;
                }

                if (pos + 2 < s.End)
                {
                    int next2 = AsciiLower(s.At(pos + 2));
                    if ((next == 'r' && next2 == 'e') || (next == 'v' && next2 == 'e') || (next == 'l' && next2 == 'l'))
                    {
                        pos = s.Emit(pos + 3);
                        continue;
                    }
                }
            }

            // [^\r\n\p{L}\p{N}]?\p{L}+
            if (c != '\r' && c != '\n' && (flags & CodepointFlags.Number) == 0
                && ((flags & CodepointFlags.Letter) != 0 || (s.FlagsAt(pos + 1) & CodepointFlags.Letter) != 0))
            {
                pos++;
                while ((s.FlagsAt(pos) & CodepointFlags.Letter) != 0)
                {
                    pos++;
                }

                s.Emit(pos);
                continue;
            }

            // \p{N}{1,3}
            if ((flags & CodepointFlags.Number) != 0)
            {
                int groupStart = pos;
                while ((s.FlagsAt(pos) & CodepointFlags.Number) != 0)
                {
                    pos++;
                    if (pos - groupStart >= 3)
                    {
                        s.Emit(pos);
                        groupStart = pos;
                    }
                }

                s.Emit(pos);
                continue;
            }

            // ' ?[^\s\p{L}\p{N}]+[\r\n]*' (a lone trailing space also lands here, as one word, as in llama.cpp)
            CodepointFlags bodyFlags = c == ' ' ? s.FlagsAt(pos + 1) : flags;
            if ((bodyFlags & LetterNumberSpace) == 0)
            {
                if (c == ' ')
                {
                    pos++;
                }

                for (CodepointFlags f = bodyFlags; (f & LetterNumberSpace) == 0 && f != CodepointFlags.None; f = s.FlagsAt(pos))
                {
                    pos++;
                }

                while (s.At(pos) is '\r' or '\n')
                {
                    pos++;
                }

                s.Emit(pos);
                continue;
            }

            int spaces = 0;
            int afterLastNewline = 0;
            while ((s.FlagsAt(pos + spaces) & CodepointFlags.Whitespace) != 0)
            {
                if (s.At(pos + spaces) is '\r' or '\n')
                {
                    afterLastNewline = pos + spaces + 1;
                }

                spaces++;
            }

            // \s*[\r\n]+
            if (afterLastNewline > 0)
            {
                pos = s.Emit(afterLastNewline);
                continue;
            }

            // \s+(?!\S)
            if (spaces > 1 && s.At(pos + spaces) != SegmentCursor.OutOfRange)
            {
                pos = s.Emit(pos + spaces - 1);
                continue;
            }

            // \s+
            if (spaces > 0)
            {
                pos = s.Emit(pos + spaces);
                continue;
            }

            pos = s.Emit(pos + 1);
        }
    }
}
