using System.Text;
using System.Text.Json;

namespace Switchyard.Testing;

/// <summary>The parts of a chat request body that the fake needs in order to reply.</summary>
internal sealed class ParsedRequest
{
    private ParsedRequest(UpstreamApi api)
    {
        Api = api;
    }

    /// <summary>Gets the wire format.</summary>
    public UpstreamApi Api { get; }

    /// <summary>Gets a value indicating whether the body was a JSON object.</summary>
    public bool IsValid { get; private init; }

    /// <summary>Gets the <c>model</c> property, or an empty string.</summary>
    public string Model { get; private init; } = string.Empty;

    /// <summary>Gets a value indicating whether <c>"stream": true</c> was sent.</summary>
    public bool Stream { get; private init; }

    /// <summary>Gets a value indicating whether OpenAI <c>stream_options.include_usage</c> was <see langword="true"/>.</summary>
    public bool IncludeUsage { get; private init; }

    /// <summary>Gets a value indicating whether the request asked for a JSON reply.</summary>
    public bool JsonMode { get; private init; }

    /// <summary>Gets the text of the last message whose role is <c>user</c> (empty when there is none).</summary>
    public string LastUserText { get; private init; } = string.Empty;

    /// <summary>Reads the fields out of a raw request body; never throws.</summary>
    /// <param name="api">The wire format.</param>
    /// <param name="body">The raw body.</param>
    /// <returns>The parsed request; <see cref="IsValid"/> is false when the body is not a JSON object.</returns>
    public static ParsedRequest Parse(UpstreamApi api, string body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return new ParsedRequest(api);
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new ParsedRequest(api);
            }

            return new ParsedRequest(api)
            {
                IsValid = true,
                Model = root.TryGetProperty("model", out JsonElement model) && model.ValueKind == JsonValueKind.String
                    ? model.GetString() ?? string.Empty
                    : string.Empty,
                Stream = IsTrue(root, "stream"),
                IncludeUsage = root.TryGetProperty("stream_options", out JsonElement options)
                    && options.ValueKind == JsonValueKind.Object
                    && IsTrue(options, "include_usage"),
                JsonMode = api == UpstreamApi.Anthropic ? IsAnthropicJsonMode(root) : IsOpenAIJsonMode(root),
                LastUserText = FindLastUserText(root),
            };
        }
    }

    private static bool IsTrue(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.True;

    private static string? TypeOf(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object
        && element.TryGetProperty("type", out JsonElement type)
        && type.ValueKind == JsonValueKind.String
            ? type.GetString()
            : null;

    private static bool IsOpenAIJsonMode(JsonElement root) =>
        root.TryGetProperty("response_format", out JsonElement format)
        && TypeOf(format) is "json_object" or "json_schema";

    private static bool IsAnthropicJsonMode(JsonElement root)
    {
        if (root.TryGetProperty("output_format", out JsonElement format) && TypeOf(format) == "json_schema")
        {
            return true;
        }

        return root.TryGetProperty("output_config", out JsonElement config)
            && config.ValueKind == JsonValueKind.Object
            && config.TryGetProperty("format", out JsonElement configFormat)
            && TypeOf(configFormat) == "json_schema";
    }

    private static string FindLastUserText(JsonElement root)
    {
        if (!root.TryGetProperty("messages", out JsonElement messages) || messages.ValueKind != JsonValueKind.Array)
        {
            return string.Empty;
        }

        JsonElement? lastUser = null;
        foreach (JsonElement message in messages.EnumerateArray())
        {
            if (message.ValueKind == JsonValueKind.Object
                && message.TryGetProperty("role", out JsonElement role)
                && role.ValueKind == JsonValueKind.String
                && role.ValueEquals("user"))
            {
                lastUser = message;
            }
        }

        if (lastUser is not { } user || !user.TryGetProperty("content", out JsonElement content))
        {
            return string.Empty;
        }

        switch (content.ValueKind)
        {
            case JsonValueKind.String:
                return content.GetString() ?? string.Empty;
            case JsonValueKind.Array:
                StringBuilder text = new();
                foreach (JsonElement part in content.EnumerateArray())
                {
                    if (part.ValueKind == JsonValueKind.String)
                    {
                        text.Append(part.GetString());
                    }
                    else if (TypeOf(part) == "text"
                        && part.TryGetProperty("text", out JsonElement partText)
                        && partText.ValueKind == JsonValueKind.String)
                    {
                        text.Append(partText.GetString());
                    }
                }

                return text.ToString();
            default:
                return string.Empty;
        }
    }
}
