using System.Globalization;
using System.Text;

namespace Switchyard.Embeddings.Tokenization;

/// <summary>
/// BERT's "strip accents" for one code point: its canonical decomposition (NFD) without the nonspacing marks
/// (category Mn). <see cref="string.Normalize()"/> cannot do this here: under InvariantGlobalization (which Switchyard
/// runs with) it leaves non-ASCII text unchanged. So the decompositions come from a table generated from Unicode's
/// data (Tokenization/Data/nfd-base.txt, see make-nfd-table.py beside it), and Hangul syllables are decomposed into
/// their jamo algorithmically, as NFD does.
/// </summary>
internal static class AccentFolding
{
    private const int HangulBase = 0xAC00;
    private const int HangulCount = 11172;
    private const int JamoLBase = 0x1100;
    private const int JamoVBase = 0x1161;
    private const int JamoTBase = 0x11A7;
    private const int JamoVCount = 21;
    private const int JamoTCount = 28;

    private static readonly Dictionary<int, Rune[]> Decompositions = Load();

    /// <summary>Number of table entries (for tests).</summary>
    internal static int TableSize => Decompositions.Count;

    /// <summary>Longest result of <see cref="Fold"/>, in code points.</summary>
    public const int MaxFoldedLength = 4;

    /// <summary>
    /// Writes what remains of <paramref name="rune"/> after NFD and the removal of Mn code points to
    /// <paramref name="destination"/> (at least <see cref="MaxFoldedLength"/> long) and returns how many code points
    /// that is: 0 for a lone mark, 1 with the rune itself when it has no decomposition.
    /// </summary>
    public static int Fold(Rune rune, Span<Rune> destination)
    {
        int cp = rune.Value;
        if (cp < 0xC0)
        {
            // Nothing below U+00C0 has a canonical decomposition, and no mark lives there.
            destination[0] = rune;
            return 1;
        }

        int s = cp - HangulBase;
        if ((uint)s < HangulCount)
        {
            destination[0] = new Rune(JamoLBase + (s / (JamoVCount * JamoTCount)));
            destination[1] = new Rune(JamoVBase + (s % (JamoVCount * JamoTCount) / JamoTCount));
            int t = s % JamoTCount;
            if (t == 0)
            {
                return 2;
            }

            destination[2] = new Rune(JamoTBase + t);
            return 3;
        }

        if (Decompositions.TryGetValue(cp, out var parts))
        {
            parts.CopyTo(destination);
            return parts.Length;
        }

        if (Rune.GetUnicodeCategory(rune) == UnicodeCategory.NonSpacingMark)
        {
            return 0;
        }

        destination[0] = rune;
        return 1;
    }

    private static Dictionary<int, Rune[]> Load()
    {
        using var stream = typeof(AccentFolding).Assembly.GetManifestResourceStream("Switchyard.Embeddings.nfd-base.txt")
            ?? throw new InvalidOperationException("The embedded decomposition table (nfd-base.txt) is missing from Switchyard.Embeddings.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var table = new Dictionary<int, Rune[]>(2100);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            int tab = line.IndexOf('\t', StringComparison.Ordinal);
            int cp = int.Parse(line.AsSpan(0, tab), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var rest = line.AsSpan(tab + 1);
            var parts = new List<Rune>(2);
            foreach (var range in rest.Split(' '))
            {
                var hex = rest[range];
                if (!hex.IsEmpty)
                {
                    parts.Add(new Rune(int.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
                }
            }

            if (parts.Count > MaxFoldedLength)
            {
                throw new InvalidOperationException($"nfd-base.txt: U+{cp:X4} folds to more than {MaxFoldedLength} code points.");
            }

            table[cp] = [.. parts];
        }

        return table;
    }
}
