using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Switchyard.Embeddings;

/// <summary>
/// An LRU cache in front of another <see cref="ITextEmbedder"/>, so text seen again (the earlier turns of a
/// conversation, a repeated system prompt) is not embedded again. Entries are keyed by the 128-bit XxHash128 of the
/// text's UTF-16 code units (a collision is astronomically unlikely; the text itself is not kept) and hold the
/// embedding; beyond <see cref="Capacity"/> entries the least recently used one is evicted.
/// </summary>
/// <remarks>
/// Thread-safe. A hit hashes the text, takes a lock for a dictionary lookup and a list move, and copies the vector
/// (callers own what they get, so the cached arrays are never exposed); it allocates only that copy. A miss embeds
/// outside the lock, so concurrent misses run in parallel (two threads missing on the same text both embed it).
/// The cache does not own the inner embedder: disposing it stays the caller's business.
/// </remarks>
public sealed class CachingEmbedder : ITextEmbedder
{
    private readonly ITextEmbedder _inner;
    private readonly Lock _lock = new();
    private readonly Dictionary<UInt128, LinkedListNode<Entry>> _entries;
    private readonly LinkedList<Entry> _recency = new(); // most recently used first
    private long _hits;
    private long _misses;

    /// <summary>Caches up to <paramref name="capacity"/> embeddings of <paramref name="inner"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="inner"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is below 1.</exception>
    public CachingEmbedder(ITextEmbedder inner, int capacity)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _inner = inner;
        Capacity = capacity;
        _entries = new Dictionary<UInt128, LinkedListNode<Entry>>(Math.Min(capacity, 4096));
    }

    /// <inheritdoc />
    public int Dimensions => _inner.Dimensions;

    /// <summary>Most entries kept.</summary>
    public int Capacity { get; }

    /// <summary>Entries currently cached.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Texts answered from the cache so far.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Texts passed to the inner embedder so far.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <inheritdoc />
    public float[] Embed(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var key = KeyOf(text);
        if (TryGet(key, out var cached))
        {
            return cached;
        }

        Interlocked.Increment(ref _misses);
        var embedding = _inner.Embed(text);
        Store(key, embedding);
        return embedding;
    }

    /// <inheritdoc />
    /// <remarks>The texts not in the cache go to the inner embedder in one batch call (each distinct text once).</remarks>
    public IReadOnlyList<float[]> Embed(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var results = new float[texts.Count][];
        var keys = new UInt128[texts.Count];
        List<string>? missing = null;
        Dictionary<UInt128, int>? missingIndex = null;
        for (int i = 0; i < texts.Count; i++)
        {
            string text = texts[i] ?? throw new ArgumentNullException(nameof(texts), $"texts[{i}] is null.");
            keys[i] = KeyOf(text);
            if (TryGet(keys[i], out var cached))
            {
                results[i] = cached;
                continue;
            }

            missing ??= [];
            missingIndex ??= [];
            if (missingIndex.TryAdd(keys[i], missing.Count))
            {
                missing.Add(text);
            }
        }

        if (missing is null || missingIndex is null)
        {
            return results;
        }

        Interlocked.Add(ref _misses, missing.Count);
        var embedded = _inner.Embed(missing);
        if (embedded.Count != missing.Count)
        {
            throw new InvalidOperationException($"The inner embedder returned {embedded.Count} embeddings for {missing.Count} texts.");
        }

        foreach (var (key, index) in missingIndex)
        {
            Store(key, embedded[index]);
        }

        // Each inner result goes to the first caller slot that asked for it, a copy to any repeat of the same text.
        var handedOut = new bool[missing.Count];
        for (int i = 0; i < results.Length; i++)
        {
            if (results[i] is null)
            {
                int index = missingIndex[keys[i]];
                results[i] = handedOut[index] ? (float[])embedded[index].Clone() : embedded[index];
                handedOut[index] = true;
            }
        }

        return results;
    }

    /// <summary>Drops every entry (the hit and miss counts stay).</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _entries.Clear();
            _recency.Clear();
        }
    }

    /// <summary>The file header of <see cref="Save"/>: a magic number and format version.</summary>
    private const uint FileMagic = 0x59534345; // "ECSY"

    /// <summary>
    /// Writes every cached embedding (key and vector, most recently used first) to <paramref name="stream"/>, tagged
    /// with <paramref name="tag"/> (which model and settings made them), so a later run can start warm with
    /// <see cref="Load"/>. Texts are not written, only their hashes.
    /// </summary>
    public void Save(Stream stream, string tag)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(tag);
        List<Entry> entries;
        lock (_lock)
        {
            entries = [.. _recency];
        }

        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(FileMagic);
        writer.Write(tag);
        writer.Write(Dimensions);
        writer.Write(entries.Count);
        foreach (var entry in entries)
        {
            writer.Write((ulong)(entry.Key >> 64));
            writer.Write((ulong)entry.Key);
            writer.Write(MemoryMarshal.AsBytes(entry.Vector.AsSpan()));
        }
    }

    /// <summary>
    /// Adds the embeddings a <see cref="Save"/> wrote (up to <see cref="Capacity"/>) and returns how many; a stream
    /// with another tag or dimension count adds none and returns −1; a damaged one throws <see cref="InvalidDataException"/>.
    /// </summary>
    public int Load(Stream stream, string tag)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(tag);
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        try
        {
            if (reader.ReadUInt32() != FileMagic)
            {
                throw new InvalidDataException("not an embedding cache file.");
            }

            if (reader.ReadString() != tag | reader.ReadInt32() != Dimensions)
            {
                return -1;
            }

            var count = reader.ReadInt32();
            if (count < 0)
            {
                throw new InvalidDataException("negative entry count.");
            }

            var added = 0;
            var bytes = new byte[Dimensions * sizeof(float)];
            for (var i = 0; i < count; i++)
            {
                var key = ((UInt128)reader.ReadUInt64() << 64) | reader.ReadUInt64();
                reader.BaseStream.ReadExactly(bytes);
                if (added < Capacity)
                {
                    Store(key, MemoryMarshal.Cast<byte, float>(bytes).ToArray());
                    added++;
                }
            }

            return added;
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("the embedding cache file is truncated.", e);
        }
    }

    private static UInt128 KeyOf(string text) => XxHash128.HashToUInt128(MemoryMarshal.AsBytes(text.AsSpan()));

    private bool TryGet(UInt128 key, out float[] copy)
    {
        float[] vector;
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out var node))
            {
                copy = null!;
                return false;
            }

            if (node != _recency.First)
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
            }

            vector = node.Value.Vector;
        }

        Interlocked.Increment(ref _hits);
        copy = (float[])vector.Clone();
        return true;
    }

    private void Store(UInt128 key, float[] embedding)
    {
        if (embedding.Length != Dimensions)
        {
            throw new InvalidOperationException($"The inner embedder returned {embedding.Length} values; its Dimensions is {Dimensions}.");
        }

        // The cache keeps its own copy: the inner embedder's array may be handed to a caller.
        var vector = (float[])embedding.Clone();
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var existing))
            {
                // Another thread stored it meanwhile.
                existing.Value = new Entry(key, vector);
                if (existing != _recency.First)
                {
                    _recency.Remove(existing);
                    _recency.AddFirst(existing);
                }

                return;
            }

            LinkedListNode<Entry> node;
            if (_entries.Count >= Capacity)
            {
                // Evict the least recently used entry and reuse its node.
                node = _recency.Last!;
                _recency.RemoveLast();
                _entries.Remove(node.Value.Key);
                node.Value = new Entry(key, vector);
            }
            else
            {
                node = new LinkedListNode<Entry>(new Entry(key, vector));
            }

            _recency.AddFirst(node);
            _entries.Add(key, node);
        }
    }

    private readonly record struct Entry(UInt128 Key, float[] Vector);
}
