namespace Switchyard.Privacy.Scanning;

/// <summary>
/// A text prepared for detection (folded, decoded, joined) together with, for each of its characters, the span of the
/// original text it came from, so a finding in the view maps back to the original characters (which pseudonymisation
/// replaces). The identity view of a text carries no map.
/// </summary>
internal sealed class TextView
{
    private readonly int[]? _starts;
    private readonly int[]? _ends;

    private TextView(string text, int[]? starts, int[]? ends)
    {
        Text = text;
        _starts = starts;
        _ends = ends;
    }

    /// <summary>The text detectors read.</summary>
    public string Text { get; }

    /// <summary>Whether the view is the original text itself.</summary>
    public bool IsIdentity => _starts is null;

    /// <summary>The view of a text as it is.</summary>
    public static TextView Identity(string text) => new(text, null, null);

    /// <summary>A view built by <see cref="ViewBuilder"/> (the maps may be longer than the text).</summary>
    public static TextView Mapped(string text, int[] starts, int[] ends) => new(text, starts, ends);

    /// <summary>The original index of the first character behind view character <paramref name="index"/>.</summary>
    public int StartOf(int index) => _starts is null ? index : _starts[index];

    /// <summary>The original index just past the last character behind view character <paramref name="index"/>.</summary>
    public int EndOf(int index) => _ends is null ? index + 1 : _ends[index];

    /// <summary>The original span behind the view span [<paramref name="start"/>, <paramref name="end"/>).</summary>
    public (int Start, int End) ToOriginal(int start, int end)
    {
        if (_starts is null)
        {
            return (start, end);
        }

        if (end <= start)
        {
            return (_starts[Math.Min(start, _starts.Length - 1)], _starts[Math.Min(start, _starts.Length - 1)]);
        }

        // A span's characters may come from anywhere in the source (a decoded run): take the whole range they cover.
        int s = int.MaxValue, e = 0;
        for (int i = start; i < end; i++)
        {
            s = Math.Min(s, _starts[i]);
            e = Math.Max(e, _ends![i]);
        }

        return (s, e);
    }
}

/// <summary>Builds a <see cref="TextView"/> from another view, character by character, composing the maps.</summary>
internal sealed class ViewBuilder
{
    private TextView _source;
    private char[] _chars;
    private int[] _starts;
    private int[] _ends;

    public ViewBuilder(TextView source, int capacity)
    {
        _source = source;
        capacity = Math.Max(capacity, 16);
        _chars = new char[capacity];
        _starts = new int[capacity];
        _ends = new int[capacity];
    }

    /// <summary>Starts over on <paramref name="source"/>, keeping the buffers (one builder serves many small views).</summary>
    public void Reset(TextView source)
    {
        _source = source;
        Length = 0;
    }

    /// <summary>
    /// The view built, sharing this builder's maps: valid only until the builder is reset. For short-lived windows that
    /// are read and dropped before the next one is built.
    /// </summary>
    public TextView BuildBorrowed() => TextView.Mapped(new string(_chars, 0, Length), _starts, _ends);

    /// <summary>Characters appended so far.</summary>
    public int Length { get; private set; }

    /// <summary>The character at <paramref name="index"/> of what was appended.</summary>
    public char this[int index] => _chars[index];

    /// <summary>Appends <paramref name="c"/>, standing for the source characters [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public void Append(char c, int from, int to)
    {
        if (Length == _chars.Length)
        {
            int size = _chars.Length * 2;
            Array.Resize(ref _chars, size);
            Array.Resize(ref _starts, size);
            Array.Resize(ref _ends, size);
        }

        _chars[Length] = c;
        _starts[Length] = _source.StartOf(from);
        _ends[Length] = _source.EndOf(to - 1);
        Length++;
    }

    /// <summary>Appends every character of <paramref name="text"/>, all standing for source characters [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public void Append(ReadOnlySpan<char> text, int from, int to)
    {
        foreach (char c in text)
        {
            Append(c, from, to);
        }
    }

    /// <summary>Appends the source characters [<paramref name="from"/>, <paramref name="to"/>) unchanged.</summary>
    public void Copy(int from, int to)
    {
        string source = _source.Text;
        for (int i = from; i < to; i++)
        {
            Append(source[i], i, i + 1);
        }
    }

    /// <summary>The view built.</summary>
    public TextView Build() => TextView.Mapped(new string(_chars, 0, Length), _starts, _ends);
}
