namespace Switchyard.Local.Tokenization;

/// <summary>
/// llama.cpp's clean_up_tokenization_spaces for decoded text (byte-level BPE vocabularies that ask for it): drops
/// the space before ? ! . , , around a lone apostrophe, and before 's 'm 're 've.
/// </summary>
internal static class SpaceCleanup
{
    /// <summary>Cleans <paramref name="text"/> in place and returns the new length.</summary>
    public static int Apply(Span<byte> text)
    {
        int n = text.Length;
        n = DropSpaceBeforePunctuation(text[..n]);
        n = DropSpacesAroundApostrophe(text[..n]);
        return DropSpaceBeforeContraction(text[..n]);
    }

    private static int DropSpaceBeforePunctuation(Span<byte> t)
    {
        if (t.Length == 0)
        {
            return 0;
        }

        int written = 1;
        for (int i = 1; i < t.Length; i++)
        {
            byte x = t[i];
            if (t[i - 1] == ' ' && x is (byte)'?' or (byte)'!' or (byte)'.' or (byte)',')
            {
                written--;
            }

            t[written++] = x;
        }

        return written;
    }

    private static int DropSpacesAroundApostrophe(Span<byte> t)
    {
        if (t.Length == 0)
        {
            return 0;
        }

        int written = 1;
        for (int i = 1; i < t.Length; i++)
        {
            byte x = t[i];
            if (x == '\'' && i + 1 < t.Length && t[i - 1] == ' ' && t[i + 1] == ' ')
            {
                written--;
                t[++i] = 0;
            }

            t[written++] = x;
        }

        return written;
    }

    private static int DropSpaceBeforeContraction(Span<byte> t)
    {
        if (t.Length == 0)
        {
            return 0;
        }

        int written = 1;
        for (int i = 1; i < t.Length; i++)
        {
            byte x = t[i];
            if (t[i - 1] == ' ' && x == '\'' && i + 1 < t.Length)
            {
                byte x1 = t[i + 1];
                if (x1 is (byte)'s' or (byte)'m')
                {
                    written--;
                }
                else if (x1 is not ((byte)'t' or (byte)'d') && i + 2 < t.Length)
                {
                    byte x2 = t[i + 2];
                    if ((x1 == 'r' && x2 == 'e') || (x1 == 'v' && x2 == 'e'))
                    {
                        written--;
                    }
                }
            }

            t[written++] = x;
        }

        return written;
    }
}
