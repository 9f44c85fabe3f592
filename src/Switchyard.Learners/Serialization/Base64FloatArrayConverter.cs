using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchyard.Routing.Learners;

/// <summary>
/// Writes a float[] as one base64 string of little-endian IEEE 754 singles (about 5.3 characters per value instead of
/// ~10 as JSON numbers, and NaN survives), as Core's router file stores its weights.
/// </summary>
public sealed class Base64FloatArrayConverter : JsonConverter<float[]>
{
    /// <inheritdoc />
    public override float[]? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("Expected a base64 string of little-endian float32 values.");
        }

        var bytes = reader.GetBytesFromBase64();
        if (bytes.Length % sizeof(float) != 0)
        {
            throw new JsonException($"{bytes.Length} bytes are not a whole number of float32 values.");
        }

        var values = new float[bytes.Length / sizeof(float)];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float)));
        }

        return values;
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, float[] value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        var bytes = new byte[value.Length * sizeof(float)];
        for (var i = 0; i < value.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), value[i]);
        }

        writer.WriteBase64StringValue(bytes);
    }
}
