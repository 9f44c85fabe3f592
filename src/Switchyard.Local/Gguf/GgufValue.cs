using System.Globalization;

namespace Switchyard.Local.Gguf;

/// <summary>One metadata value: a scalar, a string or an array (held as a typed .NET array).</summary>
/// <remarks>
/// Scalars are held as their .NET counterparts (byte, sbyte, ushort, short, uint, int, float, bool, string, ulong, long,
/// double). Arrays are held as arrays of those; an array of arrays is a <see cref="GgufValue"/>[].
/// </remarks>
public sealed class GgufValue
{
    private GgufValue(GgufValueType type, GgufValueType elementType, object value)
    {
        Type = type;
        ElementType = elementType;
        Value = value;
    }

    /// <summary>The value's type.</summary>
    public GgufValueType Type { get; }

    /// <summary>For arrays, the type of the elements; otherwise the same as <see cref="Type"/>.</summary>
    public GgufValueType ElementType { get; }

    /// <summary>The value itself (see the remarks on the class for the .NET types used).</summary>
    public object Value { get; }

    /// <summary>For arrays, the number of elements; otherwise 1.</summary>
    public int Count => Value is Array a ? a.Length : 1;

    /// <summary>A scalar of <paramref name="type"/>; <paramref name="value"/> must be its .NET counterpart (see the remarks on the class), which is not checked.</summary>
    /// <exception cref="ArgumentException"><paramref name="type"/> is <see cref="GgufValueType.Array"/> (use <see cref="Array"/>).</exception>
    public static GgufValue Scalar(GgufValueType type, object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (type == GgufValueType.Array)
        {
            throw new ArgumentException("Use GgufValue.Array for arrays.", nameof(type));
        }

        return new GgufValue(type, type, value);
    }

    /// <summary>An array of <paramref name="elementType"/>; <paramref name="values"/> must be a .NET array of its counterpart, or of <see cref="GgufValue"/> for arrays of arrays (not checked).</summary>
    public static GgufValue Array(GgufValueType elementType, Array values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new GgufValue(GgufValueType.Array, elementType, values);
    }

    /// <summary>A <see cref="GgufValueType.String"/> value.</summary>
    public static GgufValue From(string value) => Scalar(GgufValueType.String, value);

    /// <summary>A <see cref="GgufValueType.UInt32"/> value.</summary>
    public static GgufValue From(uint value) => Scalar(GgufValueType.UInt32, value);

    /// <summary>An <see cref="GgufValueType.Int32"/> value.</summary>
    public static GgufValue From(int value) => Scalar(GgufValueType.Int32, value);

    /// <summary>A <see cref="GgufValueType.UInt64"/> value.</summary>
    public static GgufValue From(ulong value) => Scalar(GgufValueType.UInt64, value);

    /// <summary>A <see cref="GgufValueType.Float32"/> value.</summary>
    public static GgufValue From(float value) => Scalar(GgufValueType.Float32, value);

    /// <summary>A <see cref="GgufValueType.Bool"/> value.</summary>
    public static GgufValue From(bool value) => Scalar(GgufValueType.Bool, value);

    /// <summary>An array of <see cref="GgufValueType.String"/> (the array is held, not copied).</summary>
    public static GgufValue From(string[] values) => Array(GgufValueType.String, values);

    /// <summary>An array of <see cref="GgufValueType.Float32"/> (the array is held, not copied).</summary>
    public static GgufValue From(float[] values) => Array(GgufValueType.Float32, values);

    /// <summary>An array of <see cref="GgufValueType.Int32"/> (the array is held, not copied).</summary>
    public static GgufValue From(int[] values) => Array(GgufValueType.Int32, values);

    /// <summary>Whether the value is an integer scalar of any width.</summary>
    public bool IsInteger => Type is GgufValueType.UInt8 or GgufValueType.Int8 or GgufValueType.UInt16 or GgufValueType.Int16
        or GgufValueType.UInt32 or GgufValueType.Int32 or GgufValueType.UInt64 or GgufValueType.Int64;

    /// <summary>An integer scalar of any width as a 64-bit signed integer (unsigned 64-bit values above long.MaxValue fail).</summary>
    public bool TryGetInt64(out long value)
    {
        switch (Value)
        {
            case byte b: value = b; return true;
            case sbyte sb: value = sb; return true;
            case ushort us: value = us; return true;
            case short s: value = s; return true;
            case uint ui: value = ui; return true;
            case int i: value = i; return true;
            case long l: value = l; return true;
            case ulong ul when ul <= long.MaxValue: value = (long)ul; return true;
            default: value = 0; return false;
        }
    }

    /// <summary>A float scalar (32 or 64 bit) as a float.</summary>
    public bool TryGetFloat32(out float value)
    {
        switch (Value)
        {
            case float f: value = f; return true;
            case double d: value = (float)d; return true;
            default: value = 0; return false;
        }
    }

    /// <summary>A string as is, an array as its element type and length (<c>Float32[32000]</c>), a number in the invariant culture.</summary>
    public override string ToString() => Value switch
    {
        string s => s,
        Array a => $"{ElementType}[{a.Length}]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => Value.ToString() ?? string.Empty,
    };
}
