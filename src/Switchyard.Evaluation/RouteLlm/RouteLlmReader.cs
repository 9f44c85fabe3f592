using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Switchyard.Evaluation.RouteLlm;

/// <summary>
/// Reads the per-prompt outcome files that the RouteLLM authors published with their evaluation code
/// (lm-sys/RouteLLM, <c>routellm/evals</c>) into <see cref="OutcomeSet"/>s, loading and decontaminating them the way
/// RouteLLM's own <c>routellm/evals/benchmarks.py</c> does.
/// </summary>
/// <remarks>
/// <para>Decontamination, as in RouteLLM: every <c>eval_prompt</c> of the benchmark's <c>contaminated_prompts.jsonl</c>
/// is matched against the prompts by exact (ordinal) string equality, and every matching row is dropped (all rows with
/// that prompt, not just the first). For MT-Bench a question is dropped when any of its turns matches.</para>
/// <para>Dropped rows still count for row indexes, so record ids do not depend on the contamination list.</para>
/// </remarks>
public static class RouteLlmReader
{
    /// <summary>The weak (open-weight) model of RouteLLM's published outcomes.</summary>
    public const string WeakModel = "mistralai/Mixtral-8x7B-Instruct-v0.1";

    /// <summary>The strong (closed) model of RouteLLM's published outcomes.</summary>
    public const string StrongModel = "gpt-4-1106-preview";

    /// <summary>The highest MT-Bench judge score; <see cref="ModelOutcome.Score"/> is the judge score divided by it.</summary>
    public const double MtBenchMaxScore = 10;

    /// <summary>The score the MT-Bench judge records when it could not grade an answer.</summary>
    public const double MtBenchJudgeFailureScore = -1;

    private const string ContaminationFile = "contaminated_prompts.jsonl";
    private const string MmluResponsesFolder = "responses";
    private const string MmluFilePrefix = "mmlu_";
    private const string Gsm8kFile = "gsm8k_responses.csv";
    private const string MtBenchQuestionsFile = "question.jsonl";
    private const string MtBenchJudgementsFile = "judgements.jsonl";
    private const string PromptColumn = "prompt";
    private const string ResponseSuffix = "_response";

    /// <summary>
    /// Reads RouteLLM's MMLU outcomes: every <c>responses/mmlu_&lt;subject&gt;.csv</c> under <paramref name="dir"/>
    /// (subjects in ordinal order of file name, rows in file order), minus the prompts in
    /// <c>contaminated_prompts.jsonl</c>.
    /// </summary>
    /// <param name="dir">The benchmark directory, e.g. <c>data/routellm-evals/mmlu</c>.</param>
    /// <returns>
    /// One record per kept row: id <c>mmlu/&lt;subject&gt;/&lt;0-based row index in its file&gt;</c>, a single user
    /// message holding the <c>prompt</c> column (what RouteLLM's router is given), an outcome per model column
    /// (True → 1, False → 0) and <see cref="OutcomeRecord.Group"/> = the subject.
    /// </returns>
    /// <exception cref="RouteLlmFormatException">A file is malformed, or the directory holds no subject files.</exception>
    /// <exception cref="FileNotFoundException"><c>contaminated_prompts.jsonl</c> is missing.</exception>
    public static OutcomeSet ReadMmlu(string dir)
    {
        ArgumentException.ThrowIfNullOrEmpty(dir);
        var contaminated = ReadContaminatedPrompts(dir);
        string responses = Path.Combine(dir, MmluResponsesFolder);
        string[] files = Directory.Exists(responses)
            ? Directory.GetFiles(responses, MmluFilePrefix + "*.csv")
            : [];
        if (files.Length == 0)
        {
            throw new RouteLlmFormatException(responses, null, "one or more mmlu_<subject>.csv files");
        }

        Array.Sort(files, StringComparer.Ordinal);
        var records = new List<OutcomeRecord>();
        foreach (string file in files)
        {
            string subject = Path.GetFileNameWithoutExtension(file)[MmluFilePrefix.Length..];
            ReadOutcomeCsv(file, $"mmlu/{subject}/", subject, contaminated, records);
        }

        return new OutcomeSet("routellm/mmlu", records);
    }

    /// <summary>
    /// Reads RouteLLM's GSM8K outcomes from <c>gsm8k_responses.csv</c> under <paramref name="dir"/>, minus the prompts
    /// in <c>contaminated_prompts.jsonl</c>.
    /// </summary>
    /// <param name="dir">The benchmark directory, e.g. <c>data/routellm-evals/gsm8k</c>.</param>
    /// <returns>
    /// One record per kept row: id <c>gsm8k/&lt;0-based row index&gt;</c>, a single user message holding the
    /// <c>prompt</c> column, an outcome per model column (True → 1, False → 0) whose
    /// <see cref="ModelOutcome.Response"/> is that model's <c>&lt;model&gt;_response</c> column, and no group.
    /// </returns>
    /// <exception cref="RouteLlmFormatException">A file is malformed.</exception>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    public static OutcomeSet ReadGsm8k(string dir)
    {
        ArgumentException.ThrowIfNullOrEmpty(dir);
        var contaminated = ReadContaminatedPrompts(dir);
        var records = new List<OutcomeRecord>();
        ReadOutcomeCsv(Path.Combine(dir, Gsm8kFile), "gsm8k/", group: null, contaminated, records);
        return new OutcomeSet("routellm/gsm8k", records);
    }

    /// <summary>
    /// Reads RouteLLM's MT-Bench outcomes from <c>question.jsonl</c> and <c>judgements.jsonl</c> under
    /// <paramref name="dir"/>, minus the questions any of whose turns is in <c>contaminated_prompts.jsonl</c>.
    /// </summary>
    /// <param name="dir">The benchmark directory, e.g. <c>data/routellm-evals/mt_bench</c>.</param>
    /// <returns>
    /// <para>One record per kept question, in file order: id <c>mt_bench/&lt;question_id&gt;</c>, group = the category,
    /// and as messages a single user message holding the <em>first</em> turn only, because that is all RouteLLM's
    /// router is given for MT-Bench ("Only use first turn for routing"); the router's choice then answers both turns.</para>
    /// <para>A model's outcome is the mean of all its judge scores for the question, whatever the judge and turn (the
    /// shipped file has one GPT-4 score per turn, so this is the mean of turn 1 and turn 2), exactly the weighting of
    /// RouteLLM, which averages the scores of every judgement row of the routed model.
    /// <see cref="ModelOutcome.RawScore"/> is that mean on the judge's 1–10 scale and <see cref="ModelOutcome.Score"/>
    /// is it divided by 10. Scores of −1 (the judge failed to grade) are left out of the mean; a model with no valid
    /// score for a question has no outcome in that record. Judgements of unknown or dropped questions are ignored.</para>
    /// </returns>
    /// <exception cref="RouteLlmFormatException">A file is malformed (including a score outside 1–10 other than −1,
    /// a repeated judgement or a repeated question id).</exception>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    public static OutcomeSet ReadMtBench(string dir)
    {
        ArgumentException.ThrowIfNullOrEmpty(dir);
        var contaminated = ReadContaminatedPrompts(dir);
        var questions = ReadMtBenchQuestions(Path.Combine(dir, MtBenchQuestionsFile));
        var kept = questions.Where(q => !q.Turns.Any(contaminated.Contains)).ToList();
        var keptIds = kept.Select(q => q.Id).ToHashSet();

        // question id → model → scores, models kept in first-seen order of the judgements file.
        var scores = new Dictionary<long, Dictionary<string, List<double>>>();
        var modelOrder = new List<string>();
        var seen = new HashSet<(long Question, string Model, long Turn, string Judge)>();
        string judgementsPath = Path.Combine(dir, MtBenchJudgementsFile);
        foreach (var (line, root) in ReadJsonLines(judgementsPath))
        {
            long questionId = GetInt64(root, "question_id", judgementsPath, line);
            string model = GetString(root, "model", judgementsPath, line);
            long turn = GetInt64(root, "turn", judgementsPath, line);
            double score = GetDouble(root, "score", judgementsPath, line);
            string judge = root.TryGetProperty("judge", out var judgeElement) ? judgeElement.GetRawText() : string.Empty;
            if (score != MtBenchJudgeFailureScore && score is not (>= 1 and <= MtBenchMaxScore))
            {
                throw new RouteLlmFormatException(
                    judgementsPath,
                    line,
                    string.Create(CultureInfo.InvariantCulture, $"a 'score' from 1 to 10 (or -1 for a judge failure), found {score}"));
            }

            if (!seen.Add((questionId, model, turn, judge)))
            {
                throw new RouteLlmFormatException(
                    judgementsPath,
                    line,
                    string.Create(CultureInfo.InvariantCulture, $"one judgement per question, model, turn and judge, but question {questionId}, model '{model}', turn {turn}, judge {judge} is repeated"));
            }

            if (!modelOrder.Contains(model, StringComparer.Ordinal))
            {
                modelOrder.Add(model);
            }

            if (!keptIds.Contains(questionId) || score == MtBenchJudgeFailureScore)
            {
                continue;
            }

            if (!scores.TryGetValue(questionId, out var byModel))
            {
                byModel = new Dictionary<string, List<double>>(StringComparer.Ordinal);
                scores[questionId] = byModel;
            }

            if (!byModel.TryGetValue(model, out var list))
            {
                list = [];
                byModel[model] = list;
            }

            list.Add(score);
        }

        var records = new List<OutcomeRecord>(kept.Count);
        foreach (var question in kept)
        {
            var outcomes = new Dictionary<string, ModelOutcome>(StringComparer.Ordinal);
            if (scores.TryGetValue(question.Id, out var byModel))
            {
                foreach (string model in modelOrder)
                {
                    if (byModel.TryGetValue(model, out var list))
                    {
                        double mean = list.Average();
                        outcomes[model] = new ModelOutcome(mean / MtBenchMaxScore) { RawScore = mean };
                    }
                }
            }

            ChatMessage[] messages = [new ChatMessage(ChatRole.User, question.Turns[0])];
            records.Add(new OutcomeRecord(string.Create(CultureInfo.InvariantCulture, $"mt_bench/{question.Id}"), messages, outcomes)
            {
                Group = question.Category,
            });
        }

        return new OutcomeSet("routellm/mt_bench", records);
    }

    /// <summary>
    /// Recognises a path to one of RouteLLM's benchmark directories (<c>mmlu</c>, <c>gsm8k</c>, <c>mt_bench</c>, by
    /// their contents, not their names), to MMLU's <c>responses</c> folder, or to a file inside any of them, and reads
    /// that whole benchmark.
    /// </summary>
    /// <param name="path">A directory or file path.</param>
    /// <param name="set">The benchmark's outcomes, when recognised.</param>
    /// <returns>Whether <paramref name="path"/> was recognised as RouteLLM data.</returns>
    /// <exception cref="RouteLlmFormatException">The path was recognised but a file in it is malformed.</exception>
    /// <exception cref="FileNotFoundException">The path was recognised but a needed file is missing.</exception>
    public static bool TryRead(string path, [NotNullWhen(true)] out OutcomeSet? set)
    {
        set = null;
        if (string.IsNullOrEmpty(path))
        {
            return false;
        }

        string? dir = Directory.Exists(path) ? path : File.Exists(path) ? Path.GetDirectoryName(Path.GetFullPath(path)) : null;
        if (dir is null)
        {
            return false;
        }

        dir = Path.TrimEndingDirectorySeparator(Path.GetFullPath(dir));
        if (IsMmluResponsesFolder(dir))
        {
            dir = Path.GetDirectoryName(dir)!;
        }

        if (IsMmluResponsesFolder(Path.Combine(dir, MmluResponsesFolder)))
        {
            set = ReadMmlu(dir);
        }
        else if (File.Exists(Path.Combine(dir, Gsm8kFile)))
        {
            set = ReadGsm8k(dir);
        }
        else if (File.Exists(Path.Combine(dir, MtBenchQuestionsFile)) && File.Exists(Path.Combine(dir, MtBenchJudgementsFile)))
        {
            set = ReadMtBench(dir);
        }

        return set is not null;
    }

    private static bool IsMmluResponsesFolder(string dir) =>
        string.Equals(Path.GetFileName(dir), MmluResponsesFolder, StringComparison.Ordinal)
        && Directory.Exists(dir)
        && Directory.EnumerateFiles(dir, MmluFilePrefix + "*.csv").Any();

    /// <summary>Reads one True/False outcome CSV (header: <c>prompt</c>, model columns, <c>&lt;model&gt;_response</c> columns).</summary>
    private static void ReadOutcomeCsv(string path, string idPrefix, string? group, HashSet<string> contaminated, List<OutcomeRecord> records)
    {
        using var csv = CsvReader.Open(path);
        var header = csv.ReadRecord() ?? throw new RouteLlmFormatException(path, 1, "a header row starting with 'prompt'");
        if (header[0] != PromptColumn)
        {
            throw new RouteLlmFormatException(path, csv.RecordLine, $"a header row starting with 'prompt', found '{header[0]}'");
        }

        if (header.Skip(1).Distinct(StringComparer.Ordinal).Count() != header.Count - 1 || header.Skip(1).Contains(PromptColumn, StringComparer.Ordinal))
        {
            throw new RouteLlmFormatException(path, csv.RecordLine, "distinct column names in the header");
        }

        // Model columns hold True/False; "<model>_response" columns hold that model's answer text.
        var modelColumns = new List<(string Model, int Column, int ResponseColumn)>();
        for (int i = 1; i < header.Count; i++)
        {
            if (header[i].EndsWith(ResponseSuffix, StringComparison.Ordinal))
            {
                string model = header[i][..^ResponseSuffix.Length];
                if (!header.Skip(1).Contains(model, StringComparer.Ordinal))
                {
                    throw new RouteLlmFormatException(path, csv.RecordLine, $"a True/False column '{model}' for the response column '{header[i]}'");
                }

                continue;
            }

            modelColumns.Add((header[i], i, IndexOf(header, header[i] + ResponseSuffix)));
        }

        if (modelColumns.Count == 0)
        {
            throw new RouteLlmFormatException(path, csv.RecordLine, "at least one model column after 'prompt' in the header");
        }

        int rowIndex = 0;
        while (csv.ReadRecord() is { } row)
        {
            if (row.Count == 1 && row[0].Length == 0)
            {
                continue; // A blank line: pandas skips these too.
            }

            if (row.Count != header.Count)
            {
                throw new RouteLlmFormatException(
                    path,
                    csv.RecordLine,
                    string.Create(CultureInfo.InvariantCulture, $"{header.Count} fields as in the header, found {row.Count}"));
            }

            int index = rowIndex++;
            string prompt = row[0];
            if (contaminated.Contains(prompt))
            {
                continue;
            }

            var outcomes = new Dictionary<string, ModelOutcome>(StringComparer.Ordinal);
            foreach (var (model, column, responseColumn) in modelColumns)
            {
                bool correct = ParseBool(row[column], path, csv.RecordLine, model);
                outcomes[model] = new ModelOutcome(correct ? 1 : 0)
                {
                    Response = responseColumn >= 0 ? row[responseColumn] : null,
                };
            }

            ChatMessage[] messages = [new ChatMessage(ChatRole.User, prompt)];
            records.Add(new OutcomeRecord(idPrefix + index.ToString(CultureInfo.InvariantCulture), messages, outcomes) { Group = group });
        }
    }

    private static int IndexOf(IReadOnlyList<string> values, string value)
    {
        for (int i = 0; i < values.Count; i++)
        {
            if (string.Equals(values[i], value, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool ParseBool(string text, string path, long line, string model)
    {
        // pandas reads these columns as booleans; it accepts True/False in any letter case.
        if (string.Equals(text, "True", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (string.Equals(text, "False", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        throw new RouteLlmFormatException(path, line, $"True or False in column '{model}', found '{text}'");
    }

    /// <summary>The <c>eval_prompt</c> of every line of the benchmark's contaminated_prompts.jsonl, as RouteLLM matches them.</summary>
    private static HashSet<string> ReadContaminatedPrompts(string dir)
    {
        string path = Path.Combine(dir, ContaminationFile);
        var prompts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (line, root) in ReadJsonLines(path))
        {
            prompts.Add(GetString(root, "eval_prompt", path, line));
        }

        return prompts;
    }

    private static List<MtBenchQuestion> ReadMtBenchQuestions(string path)
    {
        var questions = new List<MtBenchQuestion>();
        var ids = new HashSet<long>();
        foreach (var (line, root) in ReadJsonLines(path))
        {
            long id = GetInt64(root, "question_id", path, line);
            if (!ids.Add(id))
            {
                throw new RouteLlmFormatException(path, line, string.Create(CultureInfo.InvariantCulture, $"a unique 'question_id', but {id} is repeated"));
            }

            string category = GetString(root, "category", path, line);
            if (!root.TryGetProperty("turns", out var turnsElement) || turnsElement.ValueKind != JsonValueKind.Array || turnsElement.GetArrayLength() == 0)
            {
                throw new RouteLlmFormatException(path, line, "a non-empty array 'turns' of strings");
            }

            var turns = new List<string>();
            foreach (var turn in turnsElement.EnumerateArray())
            {
                if (turn.ValueKind != JsonValueKind.String)
                {
                    throw new RouteLlmFormatException(path, line, "a non-empty array 'turns' of strings");
                }

                turns.Add(turn.GetString()!);
            }

            questions.Add(new MtBenchQuestion(id, category, turns));
        }

        return questions;
    }

    /// <summary>Streams the objects of a JSONL file with their 1-based line numbers, skipping blank lines.</summary>
    private static IEnumerable<(long Line, JsonElement Root)> ReadJsonLines(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"RouteLLM data file not found: {path}", path);
        }

        long line = 0;
        foreach (string text in File.ReadLines(path, Encoding.UTF8))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            JsonElement root;
            try
            {
                using var document = JsonDocument.Parse(text);
                root = document.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                throw new RouteLlmFormatException(path, line, "one JSON object per line: " + ex.Message, ex);
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new RouteLlmFormatException(path, line, $"a JSON object, found {root.ValueKind}");
            }

            yield return (line, root);
        }
    }

    private static string GetString(JsonElement obj, string name, string path, long line) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new RouteLlmFormatException(path, line, $"a string property '{name}'");

    private static long GetInt64(JsonElement obj, string name, string path, long line) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long result)
            ? result
            : throw new RouteLlmFormatException(path, line, $"an integer property '{name}'");

    private static double GetDouble(JsonElement obj, string name, string path, long line) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            ? value.GetDouble()
            : throw new RouteLlmFormatException(path, line, $"a numeric property '{name}'");

    private sealed record MtBenchQuestion(long Id, string Category, IReadOnlyList<string> Turns);
}
