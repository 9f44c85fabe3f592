namespace Switchyard.Local.Tokenization;

/// <summary>
/// A hand-written matcher for GPT-2's pre-tokenizer regex
/// <c>'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+</c>, behaving as llama.cpp's does.
/// </summary>
internal sealed class Gpt2WordSplitter : WordSplitter
{
    public static readonly Gpt2WordSplitter Instance = new();

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

    private static void SplitSegment(SegmentCursor s)
    {
        int pos = s.Start;
        while (pos < s.End)
        {
            int c = s.At(pos);
            CodepointFlags flags = s.FlagsAt(pos);

            // 's 't 're 've 'm 'll 'd (lower case only)
            if (c == '\'' && pos + 1 < s.End)
            {
                int next = s.At(pos + 1);
                if (next is 's' or 't' or 'm' or 'd')
                {
                    pos = s.Emit(pos + 2);
                    continue;
                }

                if (pos + 2 < s.End)
                {
                    int next2 = s.At(pos + 2);
                    if ((next == 'r' && next2 == 'e') || (next == 'v' && next2 == 'e') || (next == 'l' && next2 == 'l'))
                    {
                        pos = s.Emit(pos + 3);
                        continue;
                    }
                }
            }

            int body = c == ' ' ? pos + 1 : pos;
            CodepointFlags bodyFlags = c == ' ' ? s.FlagsAt(pos + 1) : flags;

            // ' ?\p{L}+', ' ?\p{N}+'
            if ((bodyFlags & CodepointFlags.Letter) != 0 || (bodyFlags & CodepointFlags.Number) != 0)
            {
                CodepointFlags run = bodyFlags & (CodepointFlags.Letter | CodepointFlags.Number);
                pos = body;
                while ((s.FlagsAt(pos) & run) != 0)
                {
                    pos++;
                }

                s.Emit(pos);
                continue;
            }

            // ' ?[^\s\p{L}\p{N}]+'
            if ((bodyFlags & LetterNumberSpace) == 0 && bodyFlags != CodepointFlags.None)
            {
                pos = body;
                for (CodepointFlags f = bodyFlags; (f & LetterNumberSpace) == 0 && f != CodepointFlags.None; f = s.FlagsAt(pos))
                {
                    pos++;
                }

                s.Emit(pos);
                continue;
            }

            int spaces = 0;
            while ((s.FlagsAt(pos + spaces) & CodepointFlags.Whitespace) != 0)
            {
                spaces++;
            }

            // '\s+(?!\S)': a run followed by more text gives its last space to the next word
            if (spaces > 1 && s.At(pos + spaces) != SegmentCursor.OutOfRange)
            {
                pos = s.Emit(pos + spaces - 1);
                continue;
            }

            // '\s+'
            if (spaces > 0)
            {
                pos = s.Emit(pos + spaces);
                continue;
            }

            pos = s.Emit(pos + 1);
        }
    }
}
