namespace Switchyard.Local.Gguf;

/// <summary>Metadata value types as numbered by the GGUF specification.</summary>
#pragma warning disable CA1720 // the names are the GGUF specification's
public enum GgufValueType : uint
{
    /// <summary>Unsigned 8-bit integer, held as <see cref="byte"/>.</summary>
    UInt8 = 0,

    /// <summary>Signed 8-bit integer, held as <see cref="sbyte"/>.</summary>
    Int8 = 1,

    /// <summary>Unsigned 16-bit integer, held as <see cref="ushort"/>.</summary>
    UInt16 = 2,

    /// <summary>Signed 16-bit integer, held as <see cref="short"/>.</summary>
    Int16 = 3,

    /// <summary>Unsigned 32-bit integer, held as <see cref="uint"/>.</summary>
    UInt32 = 4,

    /// <summary>Signed 32-bit integer, held as <see cref="int"/>.</summary>
    Int32 = 5,

    /// <summary>32-bit IEEE 754 float, held as <see cref="float"/>.</summary>
    Float32 = 6,

    /// <summary>Boolean stored as one byte, 0 or 1 (any other byte is a format error), held as <see cref="bool"/>.</summary>
    Bool = 7,

    /// <summary>UTF-8 string after its byte length as a uint64, held as <see cref="string"/>.</summary>
    String = 8,

    /// <summary>Array: the element type (uint32), the count (uint64), then the elements; held as a .NET array of the element type (<see cref="GgufValue"/>[] for arrays of arrays).</summary>
    Array = 9,

    /// <summary>Unsigned 64-bit integer, held as <see cref="ulong"/>.</summary>
    UInt64 = 10,

    /// <summary>Signed 64-bit integer, held as <see cref="long"/>.</summary>
    Int64 = 11,

    /// <summary>64-bit IEEE 754 double, held as <see cref="double"/>.</summary>
    Float64 = 12,
}
#pragma warning restore CA1720
