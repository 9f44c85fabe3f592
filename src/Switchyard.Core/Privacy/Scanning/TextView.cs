namespace Switchyard.Privacy.Scanning;

/// <summary>
/// A text prepared for detection (folded, decoded, joined) together with, for each of its characters, the span of the
/// original text it came from, so a finding in the view maps back to the original characters (which pseudonymisation
/// replaces). The identity view of a text carries no map.
/// </summary>
internal sealed class TextView
{
    private readonly bool _mapped;
    private readonly bool _pooled;
    private int[]? _starts;
    private int[]? _ends;

    private TextView(string text, int[]? starts, int[]? ends, bool pooled)
    {
        Text = text;
        _starts = starts;
        _ends = ends;
        _mapped = starts is not null;
        _pooled = pooled;
    }

    /// <summary>The text detectors read.</summary>
    public string Text { get; }

    /// <summary>Whether the view is the original text itself.</summary>
    public bool IsIdentity => !_mapped;

    /// <summary>The view of a text as it is.</summary>
    public static TextView Identity(string text) => new(text, null, null, pooled: false);

    /// <summary>A view built by <see cref="ViewBuilder"/> (the maps may be longer than the text).</summary>
    /// <param name="text">The text.</param>
    /// <param name="starts">Original start per character.</param>
    /// <param name="ends">Original end per character.</param>
    /// <param name="pooled">Whether the maps were rented from <see cref="System.Buffers.ArrayPool{T}.Shared"/> and go back on <see cref="Release"/>.</param>
    public static TextView Mapped(string text, int[] starts, int[] ends, bool pooled = false) => new(text, starts, ends, pooled);

    /// <summary>The original index of the first character behind view character <paramref name="index"/>.</summary>
    public int StartOf(int index) => !_mapped ? index : Maps().Starts[index];

    /// <summary>The original index just past the last character behind view character <paramref name="index"/>.</summary>
    public int EndOf(int index) => !_mapped ? index + 1 : Maps().Ends[index];

    /// <summary>Returns pooled maps; the view must not be used afterwards (using it throws).</summary>
    public void Release()
    {
        if (_pooled && _starts is not null)
        {
            System.Buffers.ArrayPool<int>.Shared.Return(_starts);
            System.Buffers.ArrayPool<int>.Shared.Return(_ends!);
        }

        _starts = null;
        _ends = null;
    }

    private (int[] Starts, int[] Ends) Maps() =>
        _starts is { } starts ? (starts, _ends!) : throw new ObjectDisposedException(nameof(TextView), "The view's maps were released.");

    /// <summary>The original span behind the view span [<paramref name="start"/>, <paramref name="end"/>).</summary>
    public (int Start, int End) ToOriginal(int start, int end)
    {
        if (!_mapped)
        {
            return (start, end);
        }

        var (starts, ends) = Maps();
        if (end <= start)
        {
            return (starts[Math.Min(start, Text.Length - 1)], starts[Math.Min(start, Text.Length - 1)]);
        }

        // A span's characters may come from anywhere in the source (a decoded run): take the whole range they cover.
        int s = int.MaxValue, e = 0;
        for (int i = start; i < end; i++)
        {
            s = Math.Min(s, starts[i]);
            e = Math.Max(e, ends[i]);
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
        _chars = System.Buffers.ArrayPool<char>.Shared.Rent(capacity);
        _starts = System.Buffers.ArrayPool<int>.Shared.Rent(capacity);
        _ends = System.Buffers.ArrayPool<int>.Shared.Rent(capacity);
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
        if (Length == _chars.Length || Length == _starts.Length || Length == _ends.Length)
        {
            int size = Length * 2;
            _chars = Grow(_chars, size);
            _starts = Grow(_starts, size);
            _ends = Grow(_ends, size);
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

    /// <summary>
    /// The view built; it takes the maps (release it with <see cref="TextView.Release"/> when done) and the builder is
    /// spent.
    /// </summary>
    public TextView Build()
    {
        var view = TextView.Mapped(new string(_chars, 0, Length), _starts, _ends, pooled: true);
        System.Buffers.ArrayPool<char>.Shared.Return(_chars);
        _chars = [];
        _starts = [];
        _ends = [];
        Length = 0;
        return view;
    }

    /// <summary>Gives the buffers back to the pool (a builder used only through <see cref="BuildBorrowed"/>).</summary>
    public void Return()
    {
        if (_chars.Length > 0)
        {
            System.Buffers.ArrayPool<char>.Shared.Return(_chars);
        }

        if (_starts.Length > 0)
        {
            System.Buffers.ArrayPool<int>.Shared.Return(_starts);
            System.Buffers.ArrayPool<int>.Shared.Return(_ends);
        }

        _chars = [];
        _starts = [];
        _ends = [];
        Length = 0;
    }

    private static T[] Grow<T>(T[] array, int size)
    {
        T[] bigger = System.Buffers.ArrayPool<T>.Shared.Rent(Math.Max(size, 16));
        Array.Copy(array, bigger, Math.Min(array.Length, bigger.Length));
        if (array.Length > 0)
        {
            System.Buffers.ArrayPool<T>.Shared.Return(array);
        }

        return bigger;
    }
}
