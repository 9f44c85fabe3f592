namespace Switchyard.Local.Tokenization;

/// <summary>An ordinal string-to-id map that can be probed with a span (no string is allocated per lookup).</summary>
internal sealed class StringIdMap
{
    private readonly Dictionary<string, int> _map;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _spans;

    public StringIdMap(int capacity)
    {
        _map = new Dictionary<string, int>(capacity, StringComparer.Ordinal);
        _spans = _map.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => _map.Count;

    /// <summary>Adds the key unless it is already there (the first id wins).</summary>
    public bool TryAdd(string key, int id) => _map.TryAdd(key, id);

    /// <summary>The id of the key, or -1.</summary>
    public int Find(ReadOnlySpan<char> key) => _spans.TryGetValue(key, out int id) ? id : -1;

    /// <summary>The id of the key, adding it with the next free id (the current count) when new.</summary>
    public int Intern(string key)
    {
        if (!_map.TryGetValue(key, out int id))
        {
            id = _map.Count;
            _map.Add(key, id);
        }

        return id;
    }
}
