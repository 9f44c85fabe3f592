using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Switchyard.Local.Gguf;

/// <summary>The key/value metadata of a GGUF file, with typed accessors whose errors name the file and the key.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1710", Justification = "Named after the GGUF concept.")]
public sealed class GgufMetadata : IReadOnlyDictionary<string, GgufValue>
{
    private readonly Dictionary<string, GgufValue> _values;

    /// <summary>Wraps parsed metadata; <paramref name="values"/> is used as is, not copied.</summary>
    /// <param name="source">Where the metadata came from (the file path), named in error messages.</param>
    /// <param name="values">The values by key.</param>
    public GgufMetadata(string source, Dictionary<string, GgufValue> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        Source = source;
        _values = values;
    }

    /// <summary>Where the metadata came from (the file path), for error messages.</summary>
    public string Source { get; }

    /// <summary>The number of keys.</summary>
    public int Count => _values.Count;

    /// <summary>Every key, e.g. <c>general.architecture</c>.</summary>
    public IEnumerable<string> Keys => _values.Keys;

    /// <summary>Every value.</summary>
    public IEnumerable<GgufValue> Values => _values.Values;

    /// <summary>The value of <paramref name="key"/>.</summary>
    /// <exception cref="GgufFormatException">The key is missing (the message names the file and the key).</exception>
    public GgufValue this[string key] => _values.TryGetValue(key, out GgufValue? v) ? v : throw Missing(key);

    /// <summary>Whether the metadata has <paramref name="key"/>.</summary>
    public bool ContainsKey(string key) => _values.ContainsKey(key);

    /// <summary>Whether the metadata has <paramref name="key"/> (the same as <see cref="ContainsKey"/>).</summary>
    public bool Contains(string key) => _values.ContainsKey(key);

    /// <summary>Gets the value of <paramref name="key"/> of any type, or false when the key is missing.</summary>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out GgufValue value) => _values.TryGetValue(key, out value);

    /// <summary>Enumerates the key/value pairs.</summary>
    public IEnumerator<KeyValuePair<string, GgufValue>> GetEnumerator() => _values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Reads a string value.</summary>
    /// <exception cref="GgufFormatException">The key is missing or its value is not a string.</exception>
    public string GetString(string key) => TryGetString(key, out string? s) ? s : throw WrongOrMissing(key, "a string");

    /// <summary>Reads a string value, or false when the key is missing or holds another type.</summary>
    public bool TryGetString(string key, [MaybeNullWhen(false)] out string value)
    {
        if (_values.TryGetValue(key, out GgufValue? v) && v.Value is string s)
        {
            value = s;
            return true;
        }

        value = null;
        return false;
    }

    /// <summary>Reads an integer of any width that fits in 32 unsigned bits.</summary>
    /// <exception cref="GgufFormatException">The key is missing, not an integer, or out of range.</exception>
    public uint GetUInt32(string key) => TryGetUInt32(key, out uint u) ? u : throw WrongOrMissing(key, "an unsigned 32-bit integer");

    /// <summary>Reads an integer of any width that fits in 32 unsigned bits.</summary>
    public bool TryGetUInt32(string key, out uint value)
    {
        if (_values.TryGetValue(key, out GgufValue? v) && v.TryGetInt64(out long l) && l is >= 0 and <= uint.MaxValue)
        {
            value = (uint)l;
            return true;
        }

        value = 0;
        return false;
    }

    /// <summary>Reads a bool value, or false when the key is missing or holds another type.</summary>
    public bool TryGetBool(string key, out bool value)
    {
        if (_values.TryGetValue(key, out GgufValue? v) && v.Value is bool b)
        {
            value = b;
            return true;
        }

        value = false;
        return false;
    }

    /// <summary>Reads a float32 or float64 value as a float.</summary>
    /// <exception cref="GgufFormatException">The key is missing or its value is not a float.</exception>
    public float GetFloat32(string key) => TryGetFloat32(key, out float f) ? f : throw WrongOrMissing(key, "a float");

    /// <summary>Reads a float32 or float64 value as a float, or false when the key is missing or holds another type.</summary>
    public bool TryGetFloat32(string key, out float value)
    {
        if (_values.TryGetValue(key, out GgufValue? v) && v.TryGetFloat32(out value))
        {
            return true;
        }

        value = 0;
        return false;
    }

    /// <summary>Reads an array of strings (e.g. <c>tokenizer.ggml.tokens</c>); the array is the metadata's own, not a copy.</summary>
    /// <exception cref="GgufFormatException">The key is missing or its value is not an array of strings.</exception>
    public string[] GetStringArray(string key) =>
        _values.TryGetValue(key, out GgufValue? v) && v.Value is string[] a ? a : throw WrongOrMissing(key, "an array of strings");

    /// <summary>Reads an array of float32 (float64 elements are not accepted); the array is the metadata's own, not a copy.</summary>
    /// <exception cref="GgufFormatException">The key is missing or its value is not an array of float32.</exception>
    public float[] GetFloat32Array(string key) =>
        _values.TryGetValue(key, out GgufValue? v) && v.Value is float[] a ? a : throw WrongOrMissing(key, "an array of float32");

    /// <summary>Reads an array of 32-bit integers (signed or unsigned elements are accepted).</summary>
    public int[] GetInt32Array(string key)
    {
        if (_values.TryGetValue(key, out GgufValue? v))
        {
            switch (v.Value)
            {
                case int[] a:
                    return a;
                case uint[] u:
                    int[] converted = new int[u.Length];
                    for (int i = 0; i < u.Length; i++)
                    {
                        converted[i] = unchecked((int)u[i]);
                    }

                    return converted;
            }
        }

        throw WrongOrMissing(key, "an array of 32-bit integers");
    }

    private GgufFormatException Missing(string key) => new($"{Source}: metadata key '{key}' is missing.");

    private GgufFormatException WrongOrMissing(string key, string expected) =>
        _values.TryGetValue(key, out GgufValue? v)
            ? new GgufFormatException($"{Source}: metadata key '{key}' should be {expected} but is {Describe(v)}.")
            : Missing(key);

    private static string Describe(GgufValue v) => v.Type == GgufValueType.Array ? $"an array of {v.ElementType}" : v.Type.ToString();
}
