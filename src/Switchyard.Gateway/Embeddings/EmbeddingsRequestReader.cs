using System.Text.Json;
using Switchyard.Gateway.OpenAI;

using static Switchyard.Gateway.OpenAI.WireRead;

namespace Switchyard.Gateway.Embeddings;

/// <summary>
/// Reads an OpenAI <c>POST /v1/embeddings</c> body. Text input only: token-id arrays are refused
/// (<c>unsupported_parameter</c>), because the gateway cannot know which tokenizer the serving model uses.
/// </summary>
public static class EmbeddingsRequestReader
{
    /// <summary>The most inputs one request may carry (OpenAI's own limit).</summary>
    public const int MaxInputs = 2048;

    /// <summary>Reads and validates a request body.</summary>
    /// <exception cref="WireFormatException">The body is not a valid embeddings request.</exception>
    public static EmbeddingsRequest Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new WireFormatException("The request body must be a JSON object.", null, "invalid_request_body");
        }

        string? model = null;
        List<string>? inputs = null;
        int? dimensions = null;
        var base64 = false;
        string? user = null;
        foreach (var property in root.EnumerateObject())
        {
            var value = property.Value;
            var name = property.Name;
            if (value.ValueKind == JsonValueKind.Null && name is not "input" and not "model")
            {
                continue;
            }

            switch (name)
            {
                case "model":
                    model = RequireString(value, name);
                    break;
                case "input":
                    inputs = ReadInput(value);
                    break;
                case "dimensions":
                    dimensions = RequireInt(value, name, 1, 65_536);
                    break;
                case "encoding_format":
                    base64 = RequireString(value, name) switch
                    {
                        "float" => false,
                        "base64" => true,
                        var other => throw Invalid(name, $"must be \"float\" or \"base64\", not \"{other}\""),
                    };
                    break;
                case "user":
                    user = RequireString(value, name);
                    break;
                default:
                    throw Unknown(name);
            }
        }

        if (string.IsNullOrEmpty(model))
        {
            throw new WireFormatException("'model' is required: name a configured embedding model or route (GET /v1/models lists them).", "model", "missing_required_parameter");
        }

        if (inputs is null)
        {
            throw Missing("input");
        }

        return new EmbeddingsRequest(model, inputs, dimensions, base64, user);
    }

    private static List<string> ReadInput(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return [NotEmpty(value.GetString()!, "input")];
            case JsonValueKind.Array:
                var count = value.GetArrayLength();
                if (count == 0)
                {
                    throw Invalid("input", "must not be an empty array");
                }

                if (count > MaxInputs)
                {
                    throw Invalid("input", $"has {count} items; at most {MaxInputs} inputs per request");
                }

                var list = new List<string>(count);
                var i = 0;
                foreach (var item in value.EnumerateArray())
                {
                    var path = $"input[{i++}]";
                    list.Add(item.ValueKind switch
                    {
                        JsonValueKind.String => NotEmpty(item.GetString()!, path),
                        JsonValueKind.Number or JsonValueKind.Array => throw TokenInput(path),
                        _ => throw Invalid(path, "must be a string"),
                    });
                }

                return list;
            case JsonValueKind.Null:
                throw Missing("input");
            default:
                throw Invalid("input", "must be a string or an array of strings");
        }
    }

    private static string NotEmpty(string text, string path) =>
        text.Length > 0 ? text : throw Invalid(path, "must not be empty");

    private static WireFormatException TokenInput(string path) =>
        new($"'{path}': token-id input is not supported by Switchyard; send the text (the serving model's tokenizer is not known before routing).", path, "unsupported_parameter");
}
