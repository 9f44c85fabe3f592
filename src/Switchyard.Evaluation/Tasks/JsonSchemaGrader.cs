using System.Text.Json;
using System.Text.RegularExpressions;
using Json.Schema;
using Microsoft.Extensions.AI;

namespace Switchyard.Evaluation.Tasks;

/// <summary>
/// Full credit when the answer is JSON that validates against a JSON Schema (draft 2020-12 unless the schema's
/// <c>$schema</c> names another). The JSON may be wrapped in a Markdown code fence (<c>```json … ```</c>); the first
/// fenced block is used. Task-file option: <c>schema</c> (an inline schema object, required).
/// </summary>
public sealed class JsonSchemaGrader : IGrader
{
    private static readonly Regex Fence = new(@"```[A-Za-z]*[ \t]*\r?\n?(?<body>.*?)```", RegexOptions.Singleline | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, TimeSpan.FromSeconds(1));

    private readonly JsonSchema _schema;

    /// <summary>Creates the grader, building the schema once.</summary>
    /// <param name="schema">The schema (an object, or <c>true</c>/<c>false</c>).</param>
    /// <exception cref="ArgumentException">The schema is not a valid JSON Schema.</exception>
    public JsonSchemaGrader(JsonElement schema)
    {
        if (schema.ValueKind is not (JsonValueKind.Object or JsonValueKind.True or JsonValueKind.False))
        {
            throw new ArgumentException("The schema must be a JSON object (or true/false).", nameof(schema));
        }

        try
        {
            // A registry of its own, so schemas of different tasks that share an $id do not collide.
            _schema = JsonSchema.Build(schema.Clone(), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        }
        catch (Exception ex) when (ex is JsonSchemaException or JsonException or ArgumentException or InvalidOperationException or FormatException or UriFormatException)
        {
            throw new ArgumentException("The schema is not a valid JSON Schema: " + ex.Message, nameof(schema), ex);
        }
    }

    /// <inheritdoc />
    public string Type => "json_schema";

    /// <summary>The JSON text graded in <paramref name="answer"/>: the first fenced code block's body, else the whole answer, trimmed.</summary>
    /// <param name="answer">A model answer.</param>
    public static string ExtractJson(string answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var fence = Fence.Match(answer);
        return (fence.Success ? fence.Groups["body"].Value : answer).Trim();
    }

    /// <inheritdoc />
    public ValueTask<GradeResult> GradeAsync(IReadOnlyList<ChatMessage> conversation, string answer, CancellationToken cancellationToken)
    {
        var json = ExtractJson(answer);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            return ValueTask.FromResult(GradeResult.Fail($"not valid JSON ({ex.Message}): {GraderText.Quote(json)}"));
        }

        using (document)
        {
            var results = _schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
            return ValueTask.FromResult(results.IsValid
                ? GradeResult.Pass("valid against the schema")
                : GradeResult.Fail("does not match the schema: " + FirstError(results)));
        }
    }

    private static string FirstError(EvaluationResults results)
    {
        var pending = new Stack<EvaluationResults>();
        pending.Push(results);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            if (node.Errors is { Count: > 0 } errors)
            {
                var (keyword, message) = errors.First();
                var at = node.InstanceLocation.ToString();
                return $"{(at.Length == 0 ? "(root)" : at)}: {message} ({keyword})";
            }

            if (node.Details is { } details)
            {
                for (var i = details.Count - 1; i >= 0; i--)
                {
                    pending.Push(details[i]);
                }
            }
        }

        return "invalid";
    }
}
