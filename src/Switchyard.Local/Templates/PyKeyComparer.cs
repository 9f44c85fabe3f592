namespace Switchyard.Local.Templates;

/// <summary>Python's hash/equality for dict keys: strings by ordinal, numbers and booleans by numeric value.</summary>
internal sealed class PyKeyComparer : IEqualityComparer<object>
{
    public static readonly PyKeyComparer Instance = new();

    public new bool Equals(object? x, object? y) => PyOps.ValueEquals(x, y);

    public int GetHashCode(object obj) => obj switch
    {
        string s => StringComparer.Ordinal.GetHashCode(s),
        long l => l.GetHashCode(),
        bool b => (b ? 1L : 0L).GetHashCode(),
        double d when d == Math.Floor(d) && d >= long.MinValue && d <= long.MaxValue => ((long)d).GetHashCode(),
        double d => d.GetHashCode(),
        _ => obj.GetHashCode(),
    };
}
