namespace Switchyard.Local.Tokenization;

/// <summary>
/// Reads one segment of a <see cref="CodepointText"/> for the hand-written splitters: positions outside the segment
/// read as <see cref="OutOfRange"/> with no flags, and <see cref="Emit"/> closes the current word.
/// </summary>
internal ref struct SegmentCursor
{
    public const int OutOfRange = -1;

    private readonly int[] _cps;
    private readonly int _end;
    private readonly List<int> _output;
    private int _wordStart;

    public SegmentCursor(CodepointText text, int start, int end, List<int> output)
    {
        _cps = text.Codepoints;
        _end = end;
        _output = output;
        _wordStart = start;
        Start = start;
    }

    public int Start { get; }

    public readonly int End => _end;

    public readonly int At(int pos) => pos >= Start && pos < _end ? _cps[pos] : OutOfRange;

    public readonly CodepointFlags FlagsAt(int pos) => pos >= Start && pos < _end ? UnicodeClasses.Of(_cps[pos]) : CodepointFlags.None;

    /// <summary>Ends the current word at <paramref name="end"/> (nothing is added for an empty word) and returns <paramref name="end"/>.</summary>
    public int Emit(int end)
    {
        if (end > _wordStart)
        {
            _output.Add(end - _wordStart);
        }

        _wordStart = end;
        return end;
    }
}
