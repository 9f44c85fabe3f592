using System.Globalization;
using System.Text.Json;

namespace Switchyard.Evaluation.Tasks;

/// <summary>
/// Builds graders from their task-file specification: a type name (<c>"exact"</c>) or an object with <c>type</c> and
/// the type's options (<c>{"type": "regex", "pattern": "^4$"}</c>). Unknown types and options are errors.
/// </summary>
/// <remarks>
/// <list type="table">
/// <item><term><c>exact</c></term><description>reference required; <c>case_sensitive</c>, <c>normalize_whitespace</c> (booleans)</description></item>
/// <item><term><c>regex</c></term><description><c>pattern</c> (required), <c>ignore_case</c> (boolean), <c>timeout_ms</c> (default 1000)</description></item>
/// <item><term><c>numeric</c></term><description>reference required (a number, or text whose final number is used); <c>tolerance</c>, <c>relative_tolerance</c></description></item>
/// <item><term><c>json_schema</c></term><description><c>schema</c> (an inline schema object, required)</description></item>
/// <item><term><c>choice</c></term><description>reference required: a letter A–J</description></item>
/// <item><term><c>judge</c></term><description><c>model</c> (default <see cref="EvalTaskReadOptions.DefaultJudgeModel"/>); the reference, when present, is shown to the judge</description></item>
/// </list>
/// </remarks>
public static class GraderFactory
{
    /// <summary>The grader types.</summary>
    public static IReadOnlyList<string> Types { get; } = ["exact", "regex", "numeric", "json_schema", "choice", "judge"];

    /// <summary>Reads a grader specification given on the command line: a type name, or a JSON object.</summary>
    /// <param name="text">E.g. <c>exact</c> or <c>{"type":"numeric","tolerance":0.01}</c>.</param>
    /// <exception cref="EvalTaskFormatException">The text is neither.</exception>
    public static JsonElement ParseSpec(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (!trimmed.StartsWith('{'))
        {
            using var name = JsonDocument.Parse("\"" + JsonEncodedText.Encode(trimmed) + "\"");
            return name.RootElement.Clone();
        }

        try
        {
            using var document = JsonDocument.Parse(trimmed);
            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new EvalTaskFormatException($"the grader '{text}' is not valid JSON: {ex.Message}", ex);
        }
    }

    /// <summary>Builds the grader a specification describes, for a task with <paramref name="reference"/>.</summary>
    /// <param name="spec">A type name string, or an object with <c>type</c> and options.</param>
    /// <param name="reference">The task's reference answer, or null.</param>
    /// <param name="options">Judge resolution (needed only for <c>judge</c>).</param>
    /// <exception cref="EvalTaskFormatException">The specification is invalid (the message says why, without a location).</exception>
    public static IGrader Create(JsonElement spec, string? reference, EvalTaskReadOptions? options = null)
    {
        string type;
        JsonElement? settings = null;
        switch (spec.ValueKind)
        {
            case JsonValueKind.String:
                type = spec.GetString()!;
                break;
            case JsonValueKind.Object:
                if (!spec.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
                {
                    throw new EvalTaskFormatException($"a grader object needs a \"type\" string ({string.Join(", ", Types)})");
                }

                type = typeElement.GetString()!;
                settings = spec;
                break;
            default:
                throw new EvalTaskFormatException($"'grader' must be a type name ({string.Join(", ", Types)}) or an object with \"type\"");
        }

        return type switch
        {
            "exact" => Exact(settings, reference),
            "regex" => Regex(settings),
            "numeric" => Numeric(settings, reference),
            "json_schema" => JsonSchema(settings),
            "choice" => Choice(settings, reference),
            "judge" => Judge(settings, reference, options),
            _ => throw new EvalTaskFormatException($"unknown grader type '{type}' (known: {string.Join(", ", Types)})"),
        };
    }

    private static ExactGrader Exact(JsonElement? settings, string? reference)
    {
        CheckKeys(settings, "exact", "case_sensitive", "normalize_whitespace");
        return new ExactGrader(
            reference ?? throw new EvalTaskFormatException("the exact grader needs a \"reference\""),
            Bool(settings, "case_sensitive") ?? false,
            Bool(settings, "normalize_whitespace") ?? false);
    }

    private static RegexGrader Regex(JsonElement? settings)
    {
        CheckKeys(settings, "regex", "pattern", "ignore_case", "timeout_ms");
        var pattern = String(settings, "pattern") ?? throw new EvalTaskFormatException("the regex grader needs a \"pattern\" string");
        var timeoutMs = Number(settings, "timeout_ms");
        if (timeoutMs is { } ms && (ms <= 0 || ms > int.MaxValue))
        {
            throw new EvalTaskFormatException("the regex grader's \"timeout_ms\" must be a positive number of milliseconds");
        }

        try
        {
            return new RegexGrader(pattern, Bool(settings, "ignore_case") ?? false, timeoutMs is { } t ? TimeSpan.FromMilliseconds(t) : null);
        }
        catch (ArgumentException ex)
        {
            throw new EvalTaskFormatException($"the regex grader's pattern is invalid: {ex.Message}", ex);
        }
    }

    private static NumericGrader Numeric(JsonElement? settings, string? reference)
    {
        CheckKeys(settings, "numeric", "tolerance", "relative_tolerance");
        if (reference is null)
        {
            throw new EvalTaskFormatException("the numeric grader needs a \"reference\" number");
        }

        var expected = double.TryParse(reference.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var plain) && double.IsFinite(plain)
            ? plain
            : NumberExtractor.Final(reference) ?? throw new EvalTaskFormatException($"the numeric grader's reference '{reference}' contains no number");
        var tolerance = Number(settings, "tolerance") ?? NumericGrader.DefaultTolerance;
        var relative = Number(settings, "relative_tolerance");
        if (tolerance < 0 || relative < 0)
        {
            throw new EvalTaskFormatException("the numeric grader's tolerances must not be negative");
        }

        return new NumericGrader(expected, tolerance, relative);
    }

    private static JsonSchemaGrader JsonSchema(JsonElement? settings)
    {
        CheckKeys(settings, "json_schema", "schema");
        if (settings is not { } s || !s.TryGetProperty("schema", out var schema) || schema.ValueKind is not (JsonValueKind.Object or JsonValueKind.True or JsonValueKind.False))
        {
            throw new EvalTaskFormatException("the json_schema grader needs a \"schema\" object");
        }

        try
        {
            return new JsonSchemaGrader(schema);
        }
        catch (ArgumentException ex)
        {
            throw new EvalTaskFormatException("the json_schema grader's schema is invalid: " + ex.Message, ex);
        }
    }

    private static ChoiceGrader Choice(JsonElement? settings, string? reference)
    {
        CheckKeys(settings, "choice");
        try
        {
            return new ChoiceGrader(reference ?? throw new EvalTaskFormatException("the choice grader needs a \"reference\" letter (A-J)"));
        }
        catch (ArgumentException)
        {
            throw new EvalTaskFormatException($"the choice grader's reference must be a letter A-J, not '{reference}'");
        }
    }

    private static JudgeGrader Judge(JsonElement? settings, string? reference, EvalTaskReadOptions? options)
    {
        CheckKeys(settings, "judge", "model");
        var model = String(settings, "model") ?? options?.DefaultJudgeModel
            ?? throw new EvalTaskFormatException("the judge grader needs a judging model: set \"model\" in the grader or pass --judge");
        var client = options?.ResolveJudge?.Invoke(model) ?? throw new EvalTaskFormatException($"the judge model '{model}' is not a configured model or route");
        return new JudgeGrader(client, reference, model);
    }

    private static void CheckKeys(JsonElement? settings, string type, params string[] allowed)
    {
        if (settings is not { } s)
        {
            return;
        }

        foreach (var property in s.EnumerateObject())
        {
            if (property.Name != "type" && !allowed.Contains(property.Name, StringComparer.Ordinal))
            {
                throw new EvalTaskFormatException(allowed.Length == 0
                    ? $"the {type} grader takes no option '{property.Name}'"
                    : $"the {type} grader has no option '{property.Name}' (options: {string.Join(", ", allowed)})");
            }
        }
    }

    private static bool? Bool(JsonElement? settings, string key) =>
        settings is { } s && s.TryGetProperty(key, out var value) && value.ValueKind != JsonValueKind.Null
            ? value.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw new EvalTaskFormatException($"grader option \"{key}\" must be true or false"),
            }
            : null;

    private static double? Number(JsonElement? settings, string key) =>
        settings is { } s && s.TryGetProperty(key, out var value) && value.ValueKind != JsonValueKind.Null
            ? value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number)
                ? number
                : throw new EvalTaskFormatException($"grader option \"{key}\" must be a number")
            : null;

    private static string? String(JsonElement? settings, string key) =>
        settings is { } s && s.TryGetProperty(key, out var value) && value.ValueKind != JsonValueKind.Null
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : throw new EvalTaskFormatException($"grader option \"{key}\" must be a string")
            : null;
}
