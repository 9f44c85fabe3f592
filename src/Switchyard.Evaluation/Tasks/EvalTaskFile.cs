using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Switchyard.Evaluation.Tasks;

/// <summary>
/// Reads task files: JSONL, one task a line,
/// <c>{"id": "…", "messages": [{"role": "user", "content": "…"}] | "prompt": "…", "reference": "…" | n,
/// "grader": "exact" | {"type": "…", …options}, "group": "…"}</c>.
/// </summary>
/// <remarks>
/// <c>id</c> (a non-empty string, or an integer) must be unique in the file; exactly one of <c>messages</c> and
/// <c>prompt</c> is required; <c>reference</c> and <c>group</c> are optional; <c>grader</c> defaults to
/// <see cref="EvalTaskReadOptions.DefaultGrader"/>. See <see cref="GraderFactory"/> for grader types and options.
/// Other keys are ignored; blank lines are skipped. Every problem is an <see cref="EvalTaskFormatException"/> whose
/// message starts with <c>file:line:</c>.
/// </remarks>
public static class EvalTaskFile
{
    /// <summary>Reads and validates every task of a file, building each task's grader.</summary>
    /// <param name="path">The JSONL file.</param>
    /// <param name="options">Default grader and judge resolution.</param>
    /// <returns>The tasks in file order.</returns>
    /// <exception cref="EvalTaskFormatException">A line is invalid, or the file has no tasks.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static IReadOnlyList<EvalTask> Read(string path, EvalTaskReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new EvalTaskReadOptions();
        var tasks = new List<EvalTask>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var task = ParseLine(line, options, path, lineNumber);
            if (seen.TryGetValue(task.Id, out var first))
            {
                throw new EvalTaskFormatException(path, lineNumber, $"duplicate id '{task.Id}' (first on line {first})");
            }

            seen[task.Id] = lineNumber;
            tasks.Add(task);
        }

        return tasks.Count > 0 ? tasks : throw new EvalTaskFormatException($"{path}: the file has no tasks");
    }

    /// <summary>Parses one task line.</summary>
    /// <param name="line">The JSON text.</param>
    /// <param name="options">Default grader and judge resolution.</param>
    /// <param name="fileName">Named in error messages.</param>
    /// <param name="lineNumber">Named in error messages and stored in <see cref="EvalTask.LineNumber"/>.</param>
    /// <exception cref="EvalTaskFormatException">The line is invalid.</exception>
    public static EvalTask ParseLine(string line, EvalTaskReadOptions? options = null, string fileName = "(task)", int lineNumber = 1)
    {
        ArgumentNullException.ThrowIfNull(line);
        options ??= new EvalTaskReadOptions();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException ex)
        {
            throw new EvalTaskFormatException(fileName, lineNumber, "invalid JSON: " + ex.Message, ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new EvalTaskFormatException(fileName, lineNumber, "a task must be a JSON object");
            }

            var id = ReadId(root) ?? throw new EvalTaskFormatException(fileName, lineNumber, "the task needs an \"id\" (a non-empty string or an integer)");
            var hasMessages = root.TryGetProperty("messages", out var messagesElement) && messagesElement.ValueKind != JsonValueKind.Null;
            var hasPrompt = root.TryGetProperty("prompt", out var promptElement) && promptElement.ValueKind != JsonValueKind.Null;
            IReadOnlyList<ChatMessage> messages;
            if (hasMessages == hasPrompt)
            {
                throw new EvalTaskFormatException(fileName, lineNumber, $"task '{id}' needs exactly one of \"messages\" and \"prompt\"");
            }
            else if (hasMessages)
            {
                if (!EvalMessageJson.TryRead(messagesElement, out var read, out var error))
                {
                    throw new EvalTaskFormatException(fileName, lineNumber, $"task '{id}': {error}");
                }

                messages = read;
            }
            else if (promptElement.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(promptElement.GetString()))
            {
                messages = [new ChatMessage(ChatRole.User, promptElement.GetString())];
            }
            else
            {
                throw new EvalTaskFormatException(fileName, lineNumber, $"task '{id}': \"prompt\" must be a non-empty string");
            }

            string? reference = null;
            if (root.TryGetProperty("reference", out var referenceElement))
            {
                reference = referenceElement.ValueKind switch
                {
                    JsonValueKind.String => referenceElement.GetString(),
                    JsonValueKind.Number => referenceElement.GetRawText(),
                    JsonValueKind.Null => null,
                    _ => throw new EvalTaskFormatException(fileName, lineNumber, $"task '{id}': \"reference\" must be a string or a number"),
                };
            }

            string? group = null;
            if (root.TryGetProperty("group", out var groupElement) && groupElement.ValueKind != JsonValueKind.Null)
            {
                group = groupElement.ValueKind == JsonValueKind.String
                    ? groupElement.GetString()
                    : throw new EvalTaskFormatException(fileName, lineNumber, $"task '{id}': \"group\" must be a string");
            }

            var spec = root.TryGetProperty("grader", out var graderElement) && graderElement.ValueKind != JsonValueKind.Null
                ? graderElement
                : options.DefaultGrader ?? throw new EvalTaskFormatException(fileName, lineNumber, $"task '{id}' has no \"grader\" (add one, or pass a default with --grader)");
            IGrader grader;
            try
            {
                grader = GraderFactory.Create(spec, reference, options);
            }
            catch (EvalTaskFormatException ex)
            {
                throw new EvalTaskFormatException(fileName, lineNumber, $"task '{id}': {ex.Message}", ex);
            }

            return new EvalTask(id, messages, grader) { Reference = reference, Group = group, LineNumber = lineNumber };
        }
    }

    private static string? ReadId(JsonElement root)
    {
        if (!root.TryGetProperty("id", out var id))
        {
            return null;
        }

        return id.ValueKind switch
        {
            JsonValueKind.String when !string.IsNullOrWhiteSpace(id.GetString()) => id.GetString(),
            JsonValueKind.Number when id.TryGetInt64(out _) => id.GetRawText(),
            _ => null,
        };
    }
}
