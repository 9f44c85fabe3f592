using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchyard.Evaluation;
using Switchyard.Evaluation.RouteLlm;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Evaluation.RouteLlm;

public sealed class RouteLlmReaderTests : IDisposable
{
    private const string Weak = RouteLlmReader.WeakModel;
    private const string Strong = RouteLlmReader.StrongModel;

    private static readonly string DataDir = Path.Combine(RepoPaths.Root, "data", "routellm-evals");
    private static readonly Lazy<OutcomeSet> Mmlu = new(() => RouteLlmReader.ReadMmlu(Path.Combine(DataDir, "mmlu")));
    private static readonly Lazy<OutcomeSet> Gsm8k = new(() => RouteLlmReader.ReadGsm8k(Path.Combine(DataDir, "gsm8k")));
    private static readonly Lazy<OutcomeSet> MtBench = new(() => RouteLlmReader.ReadMtBench(Path.Combine(DataDir, "mt_bench")));

    private readonly string _temp = Path.Combine(Path.GetTempPath(), "switchyard-routellm-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_temp))
        {
            Directory.Delete(_temp, recursive: true);
        }
    }

    // ---- The shipped files ----

    [Fact]
    public void Mmlu_has_14037_rows_after_decontamination_over_57_subjects()
    {
        var set = Mmlu.Value;

        Assert.Equal(14_037, set.Records.Count);
        Assert.Equal([Weak, Strong], set.Models);
        Assert.Equal(57, set.Records.Select(r => r.Group).Distinct().Count());
        // Counts computed independently (Python csv module) from the same files minus the contaminated prompts.
        Assert.Equal(9_558, set.Records.Count(r => r.Outcomes[Weak].Score == 1));
        Assert.Equal(11_312, set.Records.Count(r => r.Outcomes[Strong].Score == 1));
        Assert.All(set.Records, r => Assert.All(r.Outcomes.Values, o => Assert.True(o.Score is 0 or 1)));
    }

    [Fact]
    public void Mmlu_record_keeps_quotes_and_newlines_of_the_prompt()
    {
        var byId = Mmlu.Value.Records.ToDictionary(r => r.Id);

        var record = byId["mmlu/anatomy/1"];
        Assert.Equal("anatomy", record.Group);
        var message = Assert.Single(record.Messages);
        Assert.Equal(ChatRole.User, message.Role);
        Assert.StartsWith("A \"dished face\" profile is often associated with\nA. a protruding mandible", record.Prompt, StringComparison.Ordinal);
        Assert.EndsWith("\nD. defective development of the maxillary air sinus.\nAnswer:", record.Prompt, StringComparison.Ordinal);

        var mixed = byId["mmlu/anatomy/3"];
        Assert.Equal(0, mixed.Outcomes[Weak].Score);
        Assert.Equal(1, mixed.Outcomes[Strong].Score);
        Assert.Null(mixed.Outcomes[Weak].Response);
    }

    [Fact]
    public void Gsm8k_has_1307_rows_after_decontamination_with_responses()
    {
        var set = Gsm8k.Value;

        Assert.Equal(1_307, set.Records.Count);
        Assert.Equal([Weak, Strong], set.Models);
        Assert.Equal(833, set.Records.Count(r => r.Outcomes[Weak].Score == 1));
        Assert.Equal(1_121, set.Records.Count(r => r.Outcomes[Strong].Score == 1));
        Assert.All(set.Records, r => Assert.Null(r.Group));

        var byId = set.Records.ToDictionary(r => r.Id);
        var james = byId["gsm8k/3"];
        Assert.Equal("James decides to run 3 sprints 3 times a week.  He runs 60 meters each sprint.  How many total meters does he run a week?", james.Prompt);
        Assert.Equal(
            " James runs 3 sprints in each session, and each sprint is 60 meters. So in one session, he runs 3 x 60 = <<3*60=180>>180 meters.\n"
            + "He does this 3 times a week, so in a week, James runs 180 x 3 = <<180*3=540>>540 meters.\n#### 540\n\n",
            james.Outcomes[Weak].Response);
        Assert.StartsWith("James runs 3 sprints each time, and he does this 3 times a week. Each sprint is 60 meters.\n\nSo, for ", james.Outcomes[Strong].Response, StringComparison.Ordinal);
        Assert.Equal(0, byId["gsm8k/1002"].Outcomes[Weak].Score);
        Assert.Equal(1, byId["gsm8k/1002"].Outcomes[Strong].Score);
    }

    [Fact]
    public void MtBench_has_72_questions_scored_as_mean_of_both_turns()
    {
        var set = MtBench.Value;

        Assert.Equal(72, set.Records.Count);
        Assert.Equal([Strong, Weak], set.Models); // First-seen order in judgements.jsonl.
        Assert.All(set.Records, r => Assert.Equal(2, r.Outcomes.Count));
        // RouteLLM's get_model_accuracy: the mean of every judgement row of the model over the kept questions.
        Assert.Equal(8.28125, set.Records.Average(r => r.Outcomes[Weak].RawScore!.Value), 9);
        Assert.Equal(9.211805555555555, set.Records.Average(r => r.Outcomes[Strong].RawScore!.Value), 9);
        Assert.All(set.Records, r => Assert.All(r.Outcomes.Values, o => Assert.Equal(o.RawScore!.Value / 10, o.Score, 12)));

        var q82 = set.Records.Single(r => r.Id == "mt_bench/82");
        Assert.Equal("writing", q82.Group);
        Assert.Equal(9.5, q82.Outcomes[Weak].RawScore); // Turn 1: 10, turn 2: 9.
        Assert.Equal(0.95, q82.Outcomes[Weak].Score, 12);
        var message = Assert.Single(q82.Messages);
        Assert.Equal(ChatRole.User, message.Role);
        Assert.StartsWith("Draft a professional email seeking your supervisor's feedback", message.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Contaminated_prompts_are_absent_and_were_present_before()
    {
        foreach (var (name, set) in new[] { ("mmlu", Mmlu.Value), ("gsm8k", Gsm8k.Value) })
        {
            var contaminated = EvalPrompts(Path.Combine(DataDir, name, "contaminated_prompts.jsonl"));
            Assert.NotEmpty(contaminated);
            var prompts = set.Records.Select(r => r.Prompt).ToHashSet(StringComparer.Ordinal);
            Assert.All(contaminated, p => Assert.DoesNotContain(p, prompts));
        }

        // They were in the raw files: the raw row counts are the published 14,042 and 1,319.
        Assert.Equal(14_042, Directory.GetFiles(Path.Combine(DataDir, "mmlu", "responses"), "*.csv").Sum(CountCsvRows));
        Assert.Equal(1_319, CountCsvRows(Path.Combine(DataDir, "gsm8k", "gsm8k_responses.csv")));

        // MT-Bench: exactly the questions with a contaminated turn are gone.
        var mtContaminated = EvalPrompts(Path.Combine(DataDir, "mt_bench", "contaminated_prompts.jsonl"));
        var dropped = new HashSet<string>(StringComparer.Ordinal);
        var all = new List<string>();
        foreach (string line in File.ReadLines(Path.Combine(DataDir, "mt_bench", "question.jsonl")))
        {
            using var doc = JsonDocument.Parse(line);
            string id = "mt_bench/" + doc.RootElement.GetProperty("question_id").GetInt64();
            all.Add(id);
            if (doc.RootElement.GetProperty("turns").EnumerateArray().Any(t => mtContaminated.Contains(t.GetString()!)))
            {
                dropped.Add(id);
            }
        }

        Assert.Equal(8, dropped.Count);
        Assert.Equal(all.Where(id => !dropped.Contains(id)), MtBench.Value.Records.Select(r => r.Id));
    }

    [Fact]
    public void Ids_are_unique_and_stable_in_shape()
    {
        foreach (var set in new[] { Mmlu.Value, Gsm8k.Value, MtBench.Value })
        {
            Assert.Equal(set.Records.Count, set.Records.Select(r => r.Id).Distinct(StringComparer.Ordinal).Count());
        }

        Assert.All(Mmlu.Value.Records, r => Assert.Matches(@"^mmlu/[a-z_]+/\d+$", r.Id));
        Assert.All(Gsm8k.Value.Records, r => Assert.Matches(@"^gsm8k/\d+$", r.Id));
        Assert.All(MtBench.Value.Records, r => Assert.Matches(@"^mt_bench/\d+$", r.Id));
        Assert.Equal(["routellm/mmlu", "routellm/gsm8k", "routellm/mt_bench"], new[] { Mmlu.Value.Name, Gsm8k.Value.Name, MtBench.Value.Name });
    }

    [Fact]
    public void TryRead_recognises_benchmark_directories_and_files_inside_them()
    {
        Assert.True(RouteLlmReader.TryRead(Path.Combine(DataDir, "mmlu"), out var mmlu));
        Assert.Equal("routellm/mmlu", mmlu.Name);
        Assert.True(RouteLlmReader.TryRead(Path.Combine(DataDir, "mmlu", "responses", "mmlu_anatomy.csv"), out var fromFile));
        Assert.Equal(14_037, fromFile.Records.Count);
        Assert.True(RouteLlmReader.TryRead(Path.Combine(DataDir, "mmlu", "responses") + Path.DirectorySeparatorChar, out var fromResponses));
        Assert.Equal("routellm/mmlu", fromResponses.Name);
        Assert.True(RouteLlmReader.TryRead(Path.Combine(DataDir, "gsm8k", "gsm8k_responses.csv"), out var gsm8k));
        Assert.Equal(1_307, gsm8k.Records.Count);
        Assert.True(RouteLlmReader.TryRead(Path.Combine(DataDir, "mt_bench", "judgements.jsonl"), out var mt));
        Assert.Equal(72, mt.Records.Count);

        Assert.False(RouteLlmReader.TryRead(DataDir, out var none));
        Assert.Null(none);
        Assert.False(RouteLlmReader.TryRead(Path.Combine(RepoPaths.Root, "Switchyard.slnx"), out _));
        Assert.False(RouteLlmReader.TryRead(Path.Combine(_temp, "does-not-exist"), out _));
    }

    // ---- Hand-written files ----

    [Fact]
    public void Malformed_boolean_names_file_line_and_column()
    {
        string dir = WriteMmlu("prompt,m1,m2\nq1,True,False\n\"q2\nspans lines\",True,maybe\n");
        string file = Path.Combine(dir, "responses", "mmlu_toy.csv");

        var ex = Assert.Throws<RouteLlmFormatException>(() => RouteLlmReader.ReadMmlu(dir));

        Assert.Equal(file, ex.FilePath);
        Assert.Equal(3, ex.LineNumber);
        Assert.Contains($"{file}, line 3", ex.Message, StringComparison.Ordinal);
        Assert.Contains("True or False in column 'm2', found 'maybe'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unclosed_quote_in_a_data_file_gives_the_clear_exception()
    {
        Directory.CreateDirectory(_temp);
        File.WriteAllText(Path.Combine(_temp, "contaminated_prompts.jsonl"), string.Empty);
        File.WriteAllText(Path.Combine(_temp, "gsm8k_responses.csv"), "prompt,m,m_response\r\nq,True,\"ok\"\r\nq2,False,\"unclosed\r\nanswer\r\n");

        var ex = Assert.Throws<RouteLlmFormatException>(() => RouteLlmReader.ReadGsm8k(_temp));

        Assert.Equal(3, ex.LineNumber);
        Assert.Contains("gsm8k_responses.csv, line 3", ex.Message, StringComparison.Ordinal);
        Assert.Contains("closing quote", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_field_count_and_bad_header_are_rejected()
    {
        string dir = WriteMmlu("prompt,m1\nq1,True,extra\n");
        var ex = Assert.Throws<RouteLlmFormatException>(() => RouteLlmReader.ReadMmlu(dir));
        Assert.Contains("line 2: expected 2 fields as in the header, found 3", ex.Message, StringComparison.Ordinal);

        string dir2 = WriteMmlu("question,m1\nq1,True\n", "other");
        var ex2 = Assert.Throws<RouteLlmFormatException>(() => RouteLlmReader.ReadMmlu(dir2));
        Assert.Contains("line 1: expected a header row starting with 'prompt'", ex2.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Crlf_file_with_responses_reads_and_contamination_is_exact_match()
    {
        Directory.CreateDirectory(_temp);
        File.WriteAllText(
            Path.Combine(_temp, "contaminated_prompts.jsonl"),
            "{\"train_prompt\":\"ignored\",\"eval_prompt\":\"dup\",\"train_idx\":1,\"eval_idx\":0}\n\n{\"train_prompt\":\"x \",\"eval_prompt\":\"q\\r\\nmulti\",\"train_idx\":2,\"eval_idx\":1}\n");
        File.WriteAllText(
            Path.Combine(_temp, "gsm8k_responses.csv"),
            "prompt,a,b,a_response,b_response\r\n"
            + "dup,True,False,x,y\r\n"
            + "\"q\r\nmulti\",true,FALSE,,\r\n"
            + "dup ,False,True,\"says \"\"hi\"\", then\r\nstops\",\r\n"
            + "\r\n"
            + "dup,True,True,x,y\r\n");

        var set = RouteLlmReader.ReadGsm8k(_temp);

        // Both "dup" rows and the CRLF prompt are dropped; "dup " (trailing space) is not the same prompt.
        var record = Assert.Single(set.Records);
        Assert.Equal("gsm8k/2", record.Id);
        Assert.Equal("dup ", record.Prompt);
        Assert.Equal(0, record.Outcomes["a"].Score);
        Assert.Equal(1, record.Outcomes["b"].Score);
        Assert.Equal("says \"hi\", then\r\nstops", record.Outcomes["a"].Response);
        Assert.Equal(string.Empty, record.Outcomes["b"].Response);
        Assert.Equal(["a", "b"], set.Models);
    }

    [Fact]
    public void Response_column_without_its_model_column_is_rejected()
    {
        Directory.CreateDirectory(_temp);
        File.WriteAllText(Path.Combine(_temp, "contaminated_prompts.jsonl"), string.Empty);
        File.WriteAllText(Path.Combine(_temp, "gsm8k_responses.csv"), "prompt,a,b_response\nq,True,text\n");

        var ex = Assert.Throws<RouteLlmFormatException>(() => RouteLlmReader.ReadGsm8k(_temp));

        Assert.Contains("line 1: expected a True/False column 'b' for the response column 'b_response'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MtBench_judge_failures_are_left_out_of_the_mean()
    {
        WriteMtBench(
            """
            {"question_id": 1, "model": "a", "judge": ["gpt-4", "single-v1"], "score": 8, "turn": 1}
            {"question_id": 1, "model": "a", "judge": ["gpt-4", "single-v1-multi-turn"], "score": -1, "turn": 2}
            {"question_id": 1, "model": "b", "judge": ["gpt-4", "single-v1"], "score": 4, "turn": 1}
            {"question_id": 1, "model": "b", "judge": ["gpt-4", "single-v1-multi-turn"], "score": 7.0, "turn": 2}
            {"question_id": 2, "model": "a", "judge": ["gpt-4", "single-v1"], "score": -1, "turn": 1}
            {"question_id": 2, "model": "b", "judge": ["gpt-4", "single-v1"], "score": 3, "turn": 1}
            {"question_id": 3, "model": "a", "judge": ["gpt-4", "single-v1"], "score": 10, "turn": 1}
            {"question_id": 99, "model": "a", "judge": ["gpt-4", "single-v1"], "score": 5, "turn": 1}
            """);

        var set = RouteLlmReader.ReadMtBench(_temp);

        Assert.Equal(["mt_bench/1", "mt_bench/2"], set.Records.Select(r => r.Id)); // Question 3 is contaminated (turn 2).
        var q1 = set.Records[0];
        Assert.Equal(8, q1.Outcomes["a"].RawScore);
        Assert.Equal(0.8, q1.Outcomes["a"].Score, 12);
        Assert.Equal(5.5, q1.Outcomes["b"].RawScore);
        Assert.Equal("first one", q1.Prompt);
        Assert.Equal("cat1", q1.Group);
        var q2 = set.Records[1];
        Assert.False(q2.Outcomes.ContainsKey("a"));
        Assert.Equal(3, q2.Outcomes["b"].RawScore);
    }

    [Theory]
    [InlineData("""{"question_id": 1, "model": "a", "score": 11, "turn": 1}""", "a 'score' from 1 to 10 (or -1 for a judge failure), found 11")]
    [InlineData("""{"question_id": 1, "model": "a", "score": "9", "turn": 1}""", "a numeric property 'score'")]
    [InlineData("""{"question_id": 1, "model": "a", "score": 9, "turn": 1""", "one JSON object per line")]
    public void MtBench_bad_judgement_line_names_file_and_line(string badLine, string expected)
    {
        WriteMtBench("""{"question_id": 1, "model": "a", "score": 9, "turn": 1}""" + "\n" + badLine + "\n");

        var ex = Assert.Throws<RouteLlmFormatException>(() => RouteLlmReader.ReadMtBench(_temp));

        Assert.Equal(Path.Combine(_temp, "judgements.jsonl"), ex.FilePath);
        Assert.Equal(2, ex.LineNumber);
        Assert.Contains("line 2: expected " + expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MtBench_repeated_judgement_is_rejected()
    {
        WriteMtBench(
            """
            {"question_id": 1, "model": "a", "judge": ["gpt-4", "single-v1"], "score": 8, "turn": 1}
            {"question_id": 1, "model": "a", "judge": ["gpt-4", "single-v1"], "score": 9, "turn": 1}
            """);

        var ex = Assert.Throws<RouteLlmFormatException>(() => RouteLlmReader.ReadMtBench(_temp));

        Assert.Equal(2, ex.LineNumber);
        Assert.Contains("repeated", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_contamination_file_is_an_error_not_a_silent_pass()
    {
        Directory.CreateDirectory(_temp);
        File.WriteAllText(Path.Combine(_temp, "gsm8k_responses.csv"), "prompt,a\nq,True\n");

        Assert.Throws<FileNotFoundException>(() => RouteLlmReader.ReadGsm8k(_temp));
    }

    private string WriteMmlu(string csv, string subfolder = "m")
    {
        string dir = Path.Combine(_temp, subfolder);
        Directory.CreateDirectory(Path.Combine(dir, "responses"));
        File.WriteAllText(Path.Combine(dir, "contaminated_prompts.jsonl"), string.Empty);
        File.WriteAllText(Path.Combine(dir, "responses", "mmlu_toy.csv"), csv);
        return dir;
    }

    private void WriteMtBench(string judgements)
    {
        Directory.CreateDirectory(_temp);
        File.WriteAllText(
            Path.Combine(_temp, "question.jsonl"),
            """
            {"question_id": 1, "category": "cat1", "turns": ["first one", "second one"]}
            {"question_id": 2, "category": "cat2", "turns": ["q2 t1", "q2 t2"]}
            {"question_id": 3, "category": "cat2", "turns": ["q3 t1", "q3 t2"]}
            """);
        File.WriteAllText(Path.Combine(_temp, "contaminated_prompts.jsonl"), """{"train_prompt": "q2 t1", "eval_prompt": "q3 t2"}""");
        File.WriteAllText(Path.Combine(_temp, "judgements.jsonl"), judgements);
    }

    private static HashSet<string> EvalPrompts(string path) =>
        File.ReadLines(path)
            .Where(l => l.Length > 0)
            .Select(l =>
            {
                using var doc = JsonDocument.Parse(l);
                return doc.RootElement.GetProperty("eval_prompt").GetString()!;
            })
            .ToHashSet(StringComparer.Ordinal);

    private static int CountCsvRows(string path)
    {
        using var reader = CsvReader.Open(path);
        int rows = -1; // The header.
        while (reader.ReadRecord() is not null)
        {
            rows++;
        }

        return rows;
    }
}
