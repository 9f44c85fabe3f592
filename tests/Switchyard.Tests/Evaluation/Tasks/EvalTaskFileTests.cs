using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchyard.Evaluation.Tasks;
using Switchyard.Testing;

namespace Switchyard.Tests.Evaluation.Tasks;

public sealed class EvalTaskFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("eval-tasks-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(params string[] lines)
    {
        var path = Path.Combine(_dir, "tasks.jsonl");
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        return path;
    }

    private static EvalTaskReadOptions WithJudge(string? defaultJudge = null) => new()
    {
        DefaultJudgeModel = defaultJudge,
        ResolveJudge = name => name == "judge" ? new TestChatClient() : null,
    };

    [Fact]
    public void ReadsEveryGraderAndField()
    {
        var path = Write(
            """{"id":"a","prompt":"Capital of France?","reference":"Paris","grader":"exact","group":"geo"}""",
            "",
            """{"id":7,"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"2+"},{"type":"text","text":"2?"}]}],"reference":4,"grader":{"type":"numeric","tolerance":0.5}}""",
            """{"id":"r","prompt":"Say hi","grader":{"type":"regex","pattern":"(?i)hi","timeout_ms":50}}""",
            """{"id":"j","prompt":"Give JSON","grader":{"type":"json_schema","schema":{"type":"object"}}}""",
            """{"id":"c","prompt":"Pick","reference":"b","grader":{"type":"choice"}}""",
            """{"id":"m","prompt":"Write a haiku","grader":{"type":"judge","model":"judge"},"unknown_key":"ignored"}""");
        var tasks = EvalTaskFile.Read(path, WithJudge());
        Assert.Equal(["a", "7", "r", "j", "c", "m"], tasks.Select(t => t.Id));
        Assert.Equal(["exact", "numeric", "regex", "json_schema", "choice", "judge"], tasks.Select(t => t.Grader.Type));
        Assert.Equal("geo", tasks[0].Group);
        Assert.Equal(1, tasks[0].LineNumber);
        Assert.Equal(3, tasks[1].LineNumber);
        Assert.Equal("4", tasks[1].Reference);
        Assert.Equal(0.5, Assert.IsType<NumericGrader>(tasks[1].Grader).Tolerance);
        Assert.Equal(ChatRole.System, tasks[1].Messages[0].Role);
        Assert.Equal("2+2?", tasks[1].Messages[1].Text);
        Assert.Equal('B', Assert.IsType<ChoiceGrader>(tasks[4].Grader).Reference);
        Assert.Equal("judge", Assert.IsType<JudgeGrader>(tasks[5].Grader).JudgeModel);
    }

    [Fact]
    public void DefaultGraderAndJudge_ApplyToTasksWithoutOne()
    {
        var path = Write("""{"id":"a","prompt":"p","reference":"x"}""", """{"id":"b","prompt":"q","grader":"judge"}""");
        var tasks = EvalTaskFile.Read(path, new EvalTaskReadOptions
        {
            DefaultGrader = GraderFactory.ParseSpec("exact"),
            DefaultJudgeModel = "judge",
            ResolveJudge = name => name == "judge" ? new TestChatClient() : null,
        });
        Assert.IsType<ExactGrader>(tasks[0].Grader);
        Assert.IsType<JudgeGrader>(tasks[1].Grader);
        Assert.IsType<NumericGrader>(EvalTaskFile.ParseLine("""{"id":"n","prompt":"p","reference":"#### 1,234"}""", new() { DefaultGrader = GraderFactory.ParseSpec("""{"type":"numeric"}""") }).Grader);
    }

    [Fact]
    public void NumericReference_TakesTheFinalNumberOfText()
    {
        var task = EvalTaskFile.ParseLine("""{"id":"n","prompt":"p","reference":"She sold 48 + 24 = 72.\n#### 72","grader":"numeric"}""");
        Assert.Equal(72, Assert.IsType<NumericGrader>(task.Grader).Reference);
    }

    [Theory]
    [InlineData("""{"id":"a","prompt":"p",""", "invalid JSON")]
    [InlineData("""["not","an","object"]""", "a task must be a JSON object")]
    [InlineData("""{"prompt":"p","grader":"exact","reference":"x"}""", "needs an \"id\"")]
    [InlineData("""{"id":"","prompt":"p","grader":"exact","reference":"x"}""", "needs an \"id\"")]
    [InlineData("""{"id":"a","grader":"exact","reference":"x"}""", "exactly one of \"messages\" and \"prompt\"")]
    [InlineData("""{"id":"a","prompt":"p","messages":[{"role":"user","content":"p"}],"grader":"exact","reference":"x"}""", "exactly one of")]
    [InlineData("""{"id":"a","messages":[],"grader":"exact","reference":"x"}""", "'messages' is empty")]
    [InlineData("""{"id":"a","messages":[{"role":"robot","content":"p"}],"grader":"exact","reference":"x"}""", "messages[0].role is 'robot'")]
    [InlineData("""{"id":"a","messages":[{"role":"user","content":[{"type":"image_url"}]}],"grader":"exact","reference":"x"}""", "messages[0].content")]
    [InlineData("""{"id":"a","prompt":"p","reference":"x"}""", "has no \"grader\" (add one, or pass a default with --grader)")]
    [InlineData("""{"id":"a","prompt":"p","reference":["x"],"grader":"exact"}""", "\"reference\" must be a string or a number")]
    [InlineData("""{"id":"a","prompt":"p","grader":"exact"}""", "the exact grader needs a \"reference\"")]
    [InlineData("""{"id":"a","prompt":"p","reference":"x","grader":"fuzzy"}""", "unknown grader type 'fuzzy'")]
    [InlineData("""{"id":"a","prompt":"p","reference":"x","grader":{"type":"exact","case_sensitiv":true}}""", "has no option 'case_sensitiv'")]
    [InlineData("""{"id":"a","prompt":"p","reference":"x","grader":{"type":"exact","case_sensitive":"yes"}}""", "\"case_sensitive\" must be true or false")]
    [InlineData("""{"id":"a","prompt":"p","grader":{"type":"regex"}}""", "needs a \"pattern\"")]
    [InlineData("""{"id":"a","prompt":"p","grader":{"type":"regex","pattern":"(x"}}""", "pattern is invalid")]
    [InlineData("""{"id":"a","prompt":"p","grader":{"type":"regex","pattern":"x","timeout_ms":0}}""", "positive number of milliseconds")]
    [InlineData("""{"id":"a","prompt":"p","reference":"none","grader":"numeric"}""", "contains no number")]
    [InlineData("""{"id":"a","prompt":"p","reference":"5","grader":{"type":"numeric","tolerance":-1}}""", "must not be negative")]
    [InlineData("""{"id":"a","prompt":"p","grader":{"type":"json_schema"}}""", "needs a \"schema\" object")]
    [InlineData("""{"id":"a","prompt":"p","grader":{"type":"json_schema","schema":{"type":5}}}""", "schema is invalid")]
    [InlineData("""{"id":"a","prompt":"p","reference":"Z","grader":"choice"}""", "must be a letter A-J, not 'Z'")]
    [InlineData("""{"id":"a","prompt":"p","grader":"judge"}""", "needs a judging model: set \"model\" in the grader or pass --judge")]
    [InlineData("""{"id":"a","prompt":"p","grader":{"type":"judge","model":"ghost"}}""", "the judge model 'ghost' is not a configured model or route")]
    public void BadLine_NamesFileLineAndProblem(string line, string problem)
    {
        var path = Write("""{"id":"ok","prompt":"p","reference":"x","grader":"exact"}""", line);
        var ex = Assert.Throws<EvalTaskFormatException>(() => EvalTaskFile.Read(path, WithJudge()));
        Assert.StartsWith(path + ":2: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, ex.LineNumber);
    }

    [Fact]
    public void DuplicateId_NamesBothLines()
    {
        var path = Write("""{"id":"a","prompt":"p","reference":"x","grader":"exact"}""", """{"id":"b","prompt":"p","reference":"x","grader":"exact"}""", """{"id":"a","prompt":"q","reference":"x","grader":"exact"}""");
        var ex = Assert.Throws<EvalTaskFormatException>(() => EvalTaskFile.Read(path));
        Assert.Equal($"{path}:3: duplicate id 'a' (first on line 1)", ex.Message);
    }

    [Fact]
    public void EmptyFile_IsAnError()
    {
        var path = Write("", "  ");
        Assert.Contains("has no tasks", Assert.Throws<EvalTaskFormatException>(() => EvalTaskFile.Read(path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GraderSpecOnTheCommandLine_IsATypeOrJson()
    {
        Assert.Equal(JsonValueKind.String, GraderFactory.ParseSpec(" exact ").ValueKind);
        Assert.Equal(JsonValueKind.Object, GraderFactory.ParseSpec("""{"type":"numeric","tolerance":0.01}""").ValueKind);
        Assert.Throws<EvalTaskFormatException>(() => GraderFactory.ParseSpec("{type: numeric}"));
    }

    [Fact]
    public void SampleTaskFile_UsesEveryGrader()
    {
        var path = Path.Combine(Infrastructure.RepoPaths.Root, "samples", "eval", "tasks.jsonl");
        var tasks = EvalTaskFile.Read(path, WithJudge("judge"));
        Assert.True(tasks.Count >= 12, $"{tasks.Count} tasks");
        Assert.Equal(GraderFactory.Types.Order(), tasks.Select(t => t.Grader.Type).Distinct().Order());
    }
}
