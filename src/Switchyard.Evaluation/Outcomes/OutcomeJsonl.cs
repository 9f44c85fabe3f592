using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Switchyard.Evaluation;

/// <summary>
/// Switchyard's per-prompt outcome format, JSONL with one prompt a line:
/// <c>{"id": "…", "messages": [{"role": "user", "content": "…"}], "outcomes": {"&lt;model&gt;": {"score": 0.0–1.0,
/// "input_tokens": n, "output_tokens": n, "cost": usd, "latency_ms": ms, "response": "…", "error": "…"}, …}}</c>.
/// <c>switchyard eval</c> writes it and <c>switchyard simulate</c> reads it.
/// </summary>
/// <remarks>
/// <para>Reading: <c>"prompt": "…"</c> is accepted in place of <c>messages</c> (a single user message); <c>group</c>
/// (a string) and <c>raw_score</c> are optional; every outcome field but <c>score</c> is optional or null; keys not
/// listed here are ignored. Blank lines are skipped. Lines with the same id are merged: outcomes of later lines replace
/// earlier ones model by model (a resumed run appends a task's complete line after a partial one). Scores must be
/// finite and in [0, 1], token counts whole and not negative.</para>
/// <para>Any malformed line is an <see cref="OutcomeFormatException"/> whose message starts with <c>file:line:</c>.</para>
/// </remarks>
public static class OutcomeJsonl
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Files, not HTML: keep non-ASCII text readable. Quotes, backslashes and control characters are still escaped,
        // so every record stays on one line.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Reads an outcome file.</summary>
    /// <param name="path">The JSONL file.</param>
    /// <returns>The records (lines with the same id merged), named after <paramref name="path"/>.</returns>
    /// <exception cref="OutcomeFormatException">A line is malformed (including a last line cut off mid-write).</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static OutcomeSet Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var contents = Parse(path, File.ReadAllBytes(path), discardTornLastLine: false);
        return new OutcomeSet(path, contents.Records);
    }

    /// <summary>Writes <paramref name="records"/> to <paramref name="path"/>, replacing the file.</summary>
    /// <param name="path">The JSONL file.</param>
    /// <param name="records">The records, one line each.</param>
    public static void Write(string path, IEnumerable<OutcomeRecord> records)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(records);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read);
        foreach (var record in records)
        {
            stream.Write(SerializeLine(record));
        }
    }

    /// <summary>One record as a single line of JSON (no line break).</summary>
    /// <param name="record">The record.</param>
    public static string Serialize(OutcomeRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            WriteRecord(writer, record);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>One record as UTF-8 JSON followed by a line feed: what an append writes in one go.</summary>
    internal static byte[] SerializeLine(OutcomeRecord record)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            WriteRecord(writer, record);
        }

        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Parses a whole file's bytes.</summary>
    /// <param name="name">The file name used in error messages.</param>
    /// <param name="bytes">The file's content.</param>
    /// <param name="discardTornLastLine">
    /// When the last line has no line break after it and is not valid JSON (an append interrupted mid-write), drop it and
    /// report it in <see cref="OutcomeFileContents.TornLine"/> instead of failing.
    /// </param>
    internal static OutcomeFileContents Parse(string name, ReadOnlyMemory<byte> bytes, bool discardTornLastLine)
    {
        var records = new List<OutcomeRecord>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var span = bytes.Span;
        var offset = span.StartsWith("\uFEFF"u8) ? 3 : 0;
        long line = 0;
        long validLength = bytes.Length;
        long? torn = null;
        while (offset < bytes.Length)
        {
            line++;
            var newline = span[offset..].IndexOf((byte)'\n');
            var isLast = newline < 0;
            var end = isLast ? bytes.Length : offset + newline;
            var segment = bytes[offset..end];
            if (segment.Span.EndsWith("\r"u8))
            {
                segment = segment[..^1];
            }

            if (!IsBlank(segment.Span))
            {
                JsonDocument document;
                try
                {
                    document = JsonDocument.Parse(segment);
                }
                catch (JsonException ex)
                {
                    if (isLast && discardTornLastLine)
                    {
                        torn = line;
                        validLength = offset;
                        break;
                    }

                    throw new OutcomeFormatException(
                        name,
                        line,
                        (isLast ? "incomplete or invalid JSON" : "invalid JSON") + JsonProblem(ex) + (isLast ? " (an interrupted write leaves a cut-off last line; 'switchyard eval' with the same --out discards it and resumes)" : ""),
                        ex);
                }

                using (document)
                {
                    Merge(records, index, ReadRecord(document.RootElement, name, line));
                }
            }

            offset = isLast ? bytes.Length : end + 1;
        }

        var endsWithNewline = validLength == 0 || span[(int)validLength - 1] == (byte)'\n' || (validLength == 3 && span.StartsWith("\uFEFF"u8));
        return new OutcomeFileContents(records, validLength, torn, endsWithNewline);
    }

    /// <summary>Where on the line and what: System.Text.Json's message without its own "LineNumber: 0 | BytePositionInLine: n." tail, which counts within the line from 0.</summary>
    private static string JsonProblem(JsonException ex)
    {
        var message = ex.Message;
        var tail = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (tail >= 0)
        {
            message = message[..tail];
        }

        return ex.BytePositionInLine is { } column
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $" at byte {column + 1} of the line: {message.Trim()}")
            : ": " + message.Trim();
    }

    private static void Merge(List<OutcomeRecord> records, Dictionary<string, int> index, OutcomeRecord record)
    {
        if (!index.TryGetValue(record.Id, out var at))
        {
            index[record.Id] = records.Count;
            records.Add(record);
            return;
        }

        var earlier = records[at];
        var outcomes = new Dictionary<string, ModelOutcome>(earlier.Outcomes, StringComparer.Ordinal);
        foreach (var (model, outcome) in record.Outcomes)
        {
            outcomes[model] = outcome;
        }

        records[at] = earlier with { Outcomes = outcomes, Group = earlier.Group ?? record.Group };
    }

    private static bool IsBlank(ReadOnlySpan<byte> line)
    {
        foreach (var b in line)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r'))
            {
                return false;
            }
        }

        return true;
    }

    private static OutcomeRecord ReadRecord(JsonElement root, string name, long line)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new OutcomeFormatException(name, line, $"expected a JSON object, found {Describe(root)}");
        }

        if (!root.TryGetProperty("id", out var idElement) || idElement.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(idElement.GetString()))
        {
            throw new OutcomeFormatException(name, line, "'id' must be a non-empty string");
        }

        var id = idElement.GetString()!;
        IReadOnlyList<ChatMessage> messages;
        if (root.TryGetProperty("messages", out var messagesElement) && messagesElement.ValueKind != JsonValueKind.Null)
        {
            if (!EvalMessageJson.TryRead(messagesElement, out var read, out var error))
            {
                throw new OutcomeFormatException(name, line, $"record '{id}': {error}");
            }

            messages = read;
        }
        else if (root.TryGetProperty("prompt", out var prompt) && prompt.ValueKind == JsonValueKind.String)
        {
            messages = [new ChatMessage(ChatRole.User, prompt.GetString())];
        }
        else
        {
            throw new OutcomeFormatException(name, line, $"record '{id}' has neither 'messages' (an array) nor 'prompt' (a string)");
        }

        string? group = null;
        if (root.TryGetProperty("group", out var groupElement) && groupElement.ValueKind != JsonValueKind.Null)
        {
            group = groupElement.ValueKind == JsonValueKind.String
                ? groupElement.GetString()
                : throw new OutcomeFormatException(name, line, $"record '{id}': 'group' must be a string");
        }

        if (!root.TryGetProperty("outcomes", out var outcomesElement) || outcomesElement.ValueKind != JsonValueKind.Object)
        {
            throw new OutcomeFormatException(name, line, $"record '{id}' has no 'outcomes' object (model name → outcome)");
        }

        var outcomes = new Dictionary<string, ModelOutcome>(StringComparer.Ordinal);
        foreach (var property in outcomesElement.EnumerateObject())
        {
            if (property.Name.Length == 0)
            {
                throw new OutcomeFormatException(name, line, $"record '{id}': an outcome has an empty model name");
            }

            outcomes[property.Name] = ReadOutcome(property.Value, name, line, $"record '{id}', model '{property.Name}'");
        }

        return new OutcomeRecord(id, messages, outcomes) { Group = group };
    }

    private static ModelOutcome ReadOutcome(JsonElement element, string name, long line, string where)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new OutcomeFormatException(name, line, $"{where}: the outcome must be an object, found {Describe(element)}");
        }

        if (!element.TryGetProperty("score", out var scoreElement) || scoreElement.ValueKind != JsonValueKind.Number || !scoreElement.TryGetDouble(out var score))
        {
            throw new OutcomeFormatException(name, line, $"{where}: 'score' must be a number between 0 and 1");
        }

        if (!double.IsFinite(score) || score < 0 || score > 1)
        {
            throw new OutcomeFormatException(name, line, $"{where}: 'score' is {scoreElement.GetRawText()}; scores must be between 0 and 1");
        }

        return new ModelOutcome(score)
        {
            RawScore = OptionalDouble(element, "raw_score", name, line, where, allowNegative: true),
            InputTokens = OptionalCount(element, "input_tokens", name, line, where),
            OutputTokens = OptionalCount(element, "output_tokens", name, line, where),
            Cost = OptionalCost(element, name, line, where),
            LatencyMs = OptionalDouble(element, "latency_ms", name, line, where, allowNegative: false),
            Response = OptionalString(element, "response", name, line, where),
            Error = OptionalString(element, "error", name, line, where),
        };
    }

    private static long? OptionalCount(JsonElement element, string key, string name, long line, string where)
    {
        if (!element.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var count) && count >= 0
            ? count
            : throw new OutcomeFormatException(name, line, $"{where}: '{key}' must be a whole number of 0 or more, found {value.GetRawText()}");
    }

    private static double? OptionalDouble(JsonElement element, string key, string name, long line, string where, bool allowNegative)
    {
        if (!element.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number) && (allowNegative || number >= 0)
            ? number
            : throw new OutcomeFormatException(name, line, $"{where}: '{key}' must be a {(allowNegative ? "" : "non-negative ")}number, found {value.GetRawText()}");
    }

    private static decimal? OptionalCost(JsonElement element, string name, long line, string where)
    {
        if (!element.TryGetProperty("cost", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var cost) && cost >= 0
            ? cost
            : throw new OutcomeFormatException(name, line, $"{where}: 'cost' must be a non-negative number of US dollars, found {value.GetRawText()}");
    }

    private static string? OptionalString(JsonElement element, string key, string name, long line, string where)
    {
        if (!element.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new OutcomeFormatException(name, line, $"{where}: '{key}' must be a string, found {Describe(value)}");
    }

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static void WriteRecord(Utf8JsonWriter writer, OutcomeRecord record)
    {
        writer.WriteStartObject();
        writer.WriteString("id", record.Id);
        if (record.Group is not null)
        {
            writer.WriteString("group", record.Group);
        }

        writer.WritePropertyName("messages");
        EvalMessageJson.Write(writer, record.Messages);
        writer.WriteStartObject("outcomes");
        foreach (var (model, outcome) in record.Outcomes)
        {
            writer.WriteStartObject(model);
            writer.WriteNumber("score", outcome.Score);
            if (outcome.RawScore is { } raw)
            {
                writer.WriteNumber("raw_score", raw);
            }

            if (outcome.InputTokens is { } input)
            {
                writer.WriteNumber("input_tokens", input);
            }

            if (outcome.OutputTokens is { } output)
            {
                writer.WriteNumber("output_tokens", output);
            }

            if (outcome.Cost is { } cost)
            {
                writer.WriteNumber("cost", cost);
            }

            if (outcome.LatencyMs is { } latency)
            {
                writer.WriteNumber("latency_ms", latency);
            }

            if (outcome.Response is not null)
            {
                writer.WriteString("response", outcome.Response);
            }

            if (outcome.Error is not null)
            {
                writer.WriteString("error", outcome.Error);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
