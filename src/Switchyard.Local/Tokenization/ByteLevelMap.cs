namespace Switchyard.Local.Tokenization;

/// <summary>
/// GPT-2's byte-to-character map for byte-level BPE: printable Latin-1 bytes stand for themselves, the other 68
/// bytes are spelled with the characters from U+0100 on, in byte order. Every byte maps to one BMP char.
/// </summary>
internal static class ByteLevelMap
{
    private static readonly char[] ByteToChar = BuildByteToChar();
    private static readonly short[] CharToByte = BuildCharToByte();

    /// <summary>The char that spells a byte.</summary>
    public static char Encode(byte b) => ByteToChar[b];

    /// <summary>The byte a char spells, or -1 if it spells none.</summary>
    public static int Decode(int c) => (uint)c < (uint)CharToByte.Length ? CharToByte[c] : -1;

    private static bool StandsForItself(int b) => b is (>= 0x21 and <= 0x7E) or (>= 0xA1 and <= 0xAC) or (>= 0xAE and <= 0xFF);

    private static char[] BuildByteToChar()
    {
        var map = new char[256];
        int next = 0x100;
        for (int b = 0; b < 256; b++)
        {
            map[b] = StandsForItself(b) ? (char)b : (char)next++;
        }

        return map;
    }

    private static short[] BuildCharToByte()
    {
        var map = new short[0x200];
        Array.Fill(map, (short)-1);
        for (int b = 0; b < 256; b++)
        {
            map[ByteToChar[b]] = (short)b;
        }

        return map;
    }
}
