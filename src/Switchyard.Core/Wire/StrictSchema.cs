using Microsoft.Extensions.AI;

namespace Switchyard.Wire;

/// <summary>
/// Carries OpenAI's <c>strict</c> flag (structured outputs) on a function tool or a JSON-schema response format through
/// Microsoft.Extensions.AI types, under the keys its own adapters read: <c>strictJsonSchema</c> (OpenAI) and
/// <c>Strict</c> (the Anthropic SDK's adapter).
/// </summary>
public static class StrictSchema
{
    /// <summary>The key in <see cref="ChatOptions.AdditionalProperties"/> (response format) and a tool's additional properties.</summary>
    public const string Key = "strictJsonSchema";

    /// <summary>The flag a tool carries, if any.</summary>
    public static bool? Of(AITool tool)
    {
        ArgumentNullException.ThrowIfNull(tool);
        return tool.AdditionalProperties.TryGetValue(Key, out var value) && value is bool strict ? strict : null;
    }

    /// <summary>The flag the response format carries, if any.</summary>
    public static bool? OfResponseFormat(ChatOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(Key, out var value) == true && value is bool strict ? strict : null;

    /// <summary>Sets the response format's flag on <paramref name="options"/>.</summary>
    public static void SetForResponseFormat(ChatOptions options, bool strict)
    {
        ArgumentNullException.ThrowIfNull(options);
        (options.AdditionalProperties ??= [])[Key] = strict;
    }

    /// <summary><paramref name="declaration"/> with its <c>strict</c> flag.</summary>
    public static AIFunctionDeclaration WithStrict(AIFunctionDeclaration declaration, bool strict) => new StrictDeclaration(declaration, strict);

    private sealed class StrictDeclaration(AIFunctionDeclaration inner, bool strict) : AIFunctionDeclaration
    {
        private readonly IReadOnlyDictionary<string, object?> _properties = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            [Key] = strict,
            ["Strict"] = strict,
        };

        public override string Name => inner.Name;

        public override string Description => inner.Description;

        public override System.Text.Json.JsonElement JsonSchema => inner.JsonSchema;

        public override System.Text.Json.JsonElement? ReturnJsonSchema => inner.ReturnJsonSchema;

        public override IReadOnlyDictionary<string, object?> AdditionalProperties => _properties;
    }
}
