namespace Switchyard.Local.Gguf;

/// <summary>Metadata value types as numbered by the GGUF specification.</summary>
#pragma warning disable CA1720 // the names are the GGUF specification's
public enum GgufValueType : uint
{
    UInt8 = 0,
    Int8 = 1,
    UInt16 = 2,
    Int16 = 3,
    UInt32 = 4,
    Int32 = 5,
    Float32 = 6,
    Bool = 7,
    String = 8,
    Array = 9,
    UInt64 = 10,
    Int64 = 11,
    Float64 = 12,
}
#pragma warning restore CA1720
