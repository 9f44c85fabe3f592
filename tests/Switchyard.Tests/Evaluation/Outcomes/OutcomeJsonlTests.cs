using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchyard.Evaluation;

namespace Switchyard.Tests.Evaluation.Outcomes;

public sealed class OutcomeJsonlTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("outcomes-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    private string WriteText(string text, string name = "outcomes.jsonl")
    {
        var path = PathOf(name);
        File.WriteAllText(path, text);
        return path;
    }

    private static OutcomeRecord Record(string id, params (string Model, ModelOutcome Outcome)[] outcomes) =>
        new(id, [new ChatMessage(ChatRole.User, "question " + id)], outcomes.ToDictionary(o => o.Model, o => o.Outcome));

    [Fact]
    public void RoundTrip_KeepsEveryField()
    {
        var full = new ModelOutcome(0.7)
        {
            RawScore = 7,
            InputTokens = 120,
            OutputTokens = 45,
            Cost = 0.000123456789m,
            LatencyMs = 812.5,
            Response = "Line one\nline \"two\" — ünïcødé",
        };
        var failed = new ModelOutcome(0) { LatencyMs = 3, Error = "upstream answered 500: boom" };
        ChatMessage[] conversation = [new(ChatRole.System, "Be brief."), new(ChatRole.User, "Hi"), new(ChatRole.Assistant, "Hello"), new(ChatRole.User, "Bye?")];
        var records = new[]
        {
            new OutcomeRecord("multi", conversation, new Dictionary<string, ModelOutcome> { ["big"] = full, ["small"] = failed }) { Group = "chat" },
            Record("bare", ("big", new ModelOutcome(1))),
        };
        var path = PathOf("round.jsonl");
        OutcomeJsonl.Write(path, records);

        var lines = File.ReadAllLines(path);
        Assert.Equal(2, lines.Length);
        Assert.Equal("""{"id":"bare","messages":[{"role":"user","content":"question bare"}],"outcomes":{"big":{"score":1}}}""", lines[1]);

        var set = OutcomeJsonl.Read(path);
        Assert.Equal(path, set.Name);
        Assert.Equal(["big", "small"], set.Models);
        var read = set.Records[0];
        Assert.Equal("multi", read.Id);
        Assert.Equal("chat", read.Group);
        Assert.Equal(conversation.Select(m => (m.Role, m.Text)), read.Messages.Select(m => (m.Role, m.Text)));
        Assert.Equal(full, read.Outcomes["big"]);
        Assert.Equal(failed, read.Outcomes["small"]);
        Assert.Equal("Bye?", read.Prompt);
        Assert.Equal(OutcomeJsonl.Serialize(records[0]), OutcomeJsonl.Serialize(read));
    }

    [Fact]
    public void Read_AcceptsPromptNullsExponentsAndUnknownKeys()
    {
        var path = WriteText("""
            {"id":"p1","prompt":"What is 2+2?","outcomes":{"m":{"score":0.5,"cost":1.5e-5,"input_tokens":null,"response":null,"note":"ignored"}},"extra":[1,2]}

            {"id":"p2","messages":[{"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}],"outcomes":{}}
            """);
        var set = OutcomeJsonl.Read(path);
        Assert.Equal(2, set.Records.Count);
        Assert.Equal("What is 2+2?", set.Records[0].Prompt);
        Assert.Equal(0.000015m, set.Records[0].Outcomes["m"].Cost);
        Assert.Null(set.Records[0].Outcomes["m"].InputTokens);
        Assert.Equal("ab", set.Records[1].Prompt);
        Assert.Empty(set.Records[1].Outcomes);
    }

    [Fact]
    public void Read_MergesLinesWithTheSameId_LaterOutcomesWin()
    {
        var path = PathOf("merge.jsonl");
        OutcomeJsonl.Write(path, [
            Record("a", ("m1", new ModelOutcome(0.1)), ("m2", new ModelOutcome(0.2))),
            Record("b", ("m1", new ModelOutcome(1))),
            Record("a", ("m2", new ModelOutcome(0.9)), ("m3", new ModelOutcome(0.3))),
        ]);
        var set = OutcomeJsonl.Read(path);
        Assert.Equal(["a", "b"], set.Records.Select(r => r.Id));
        var a = set.Records[0].Outcomes;
        Assert.Equal([0.1, 0.9, 0.3], new[] { a["m1"].Score, a["m2"].Score, a["m3"].Score });
        Assert.Equal(["m1", "m2", "m3"], set.Models);
    }

    [Theory]
    [InlineData("{\"id\":\"a\",\"prompt\":\"p\",\"outcomes\":{\"m\":{\"score\":1}}", "invalid JSON")]
    [InlineData("[1,2]", "expected a JSON object, found an array")]
    [InlineData("{\"prompt\":\"p\",\"outcomes\":{}}", "'id' must be a non-empty string")]
    [InlineData("{\"id\":5,\"prompt\":\"p\",\"outcomes\":{}}", "'id' must be a non-empty string")]
    [InlineData("{\"id\":\"a\",\"outcomes\":{}}", "neither 'messages' (an array) nor 'prompt'")]
    [InlineData("{\"id\":\"a\",\"messages\":[{\"role\":\"bot\",\"content\":\"x\"}],\"outcomes\":{}}", "messages[0].role is 'bot'")]
    [InlineData("{\"id\":\"a\",\"prompt\":\"p\"}", "has no 'outcomes' object")]
    [InlineData("{\"id\":\"a\",\"prompt\":\"p\",\"outcomes\":{\"m\":0.5}}", "model 'm': the outcome must be an object, found a number")]
    [InlineData("{\"id\":\"a\",\"prompt\":\"p\",\"outcomes\":{\"m\":{}}}", "model 'm': 'score' must be a number between 0 and 1")]
    [InlineData("{\"id\":\"a\",\"prompt\":\"p\",\"outcomes\":{\"m\":{\"score\":\"1\"}}}", "'score' must be a number")]
    [InlineData("{\"id\":\"a\",\"prompt\":\"p\",\"outcomes\":{\"m\":{\"score\":1.5}}}", "'score' is 1.5; scores must be between 0 and 1")]
    [InlineData("{\"id\":\"a\",\"prompt\":\"p\",\"outcomes\":{\"m\":{\"score\":-0.1}}}", "'score' is -0.1")]
    [InlineData("{\"id\":\"a\",\"prompt\":\"p\",\"outcomes\":{\"m\":{\"score\":1,\"input_tokens\":-3}}}", "'input_tokens' must be a whole number of 0 or more, found -3")]
    [InlineData("{\"id\":\"a\",\"prompt\":\"p\",\"outcomes\":{\"m\":{\"score\":1,\"output_tokens\":2.5}}}", "'output_tokens' must be a whole number")]
    [InlineData("{\"id\":\"a\",\"prompt\":\"p\",\"outcomes\":{\"m\":{\"score\":1,\"cost\":-1}}}", "'cost' must be a non-negative number")]
    [InlineData("{\"id\":\"a\",\"prompt\":\"p\",\"outcomes\":{\"m\":{\"score\":1,\"latency_ms\":\"fast\"}}}", "'latency_ms' must be a non-negative number")]
    [InlineData("{\"id\":\"a\",\"prompt\":\"p\",\"outcomes\":{\"m\":{\"score\":1,\"error\":42}}}", "'error' must be a string, found a number")]
    [InlineData("{\"id\":\"a\",\"prompt\":\"p\",\"group\":3,\"outcomes\":{}}", "'group' must be a string")]
    public void MalformedLine_NamesFileLineAndProblem(string line, string problem)
    {
        var good = """{"id":"ok","prompt":"p","outcomes":{"m":{"score":1}}}""";
        var path = WriteText(good + "\n" + line + "\n" + good.Replace("\"ok\"", "\"ok2\"", StringComparison.Ordinal) + "\n");
        var ex = Assert.Throws<OutcomeFormatException>(() => OutcomeJsonl.Read(path));
        Assert.StartsWith(path + ":2: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, ex.LineNumber);
        Assert.Equal(path, ex.FilePath);
    }

    [Fact]
    public void Read_TornLastLine_IsAnErrorThatSaysHowToResume()
    {
        var path = WriteText("""{"id":"a","prompt":"p","outcomes":{"m":{"score":1}}}""" + "\n" + """{"id":"b","prompt":"p","outco""");
        var ex = Assert.Throws<OutcomeFormatException>(() => OutcomeJsonl.Read(path));
        Assert.StartsWith(path + ":2: incomplete or invalid JSON", ex.Message, StringComparison.Ordinal);
        Assert.Contains("discards it and resumes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_HandlesBomAndCrLf()
    {
        var path = PathOf("bom.jsonl");
        File.WriteAllText(path, "{\"id\":\"a\",\"prompt\":\"p\",\"outcomes\":{\"m\":{\"score\":1}}}\r\n{\"id\":\"b\",\"prompt\":\"q\",\"outcomes\":{}}\r\n", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        Assert.Equal(["a", "b"], OutcomeJsonl.Read(path).Records.Select(r => r.Id));
    }

    [Fact]
    public void Writer_AppendsFlushedLinesThatReadBack()
    {
        var path = PathOf("append.jsonl");
        using (var writer = OutcomeJsonlWriter.Open(path))
        {
            Assert.Empty(writer.Existing);
            Assert.Null(writer.DiscardedTornLine);
            writer.Append(Record("a", ("m", new ModelOutcome(1))));

            // Flushed per line: another reader sees the record while the writer is still open.
            using var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var text = new StreamReader(reader);
            Assert.Equal(OutcomeJsonl.Serialize(Record("a", ("m", new ModelOutcome(1)))) + "\n", text.ReadToEnd());
            writer.Append(Record("b", ("m", new ModelOutcome(0))));
        }

        using (var writer = OutcomeJsonlWriter.Open(path))
        {
            Assert.Equal(["a", "b"], writer.Existing.Select(r => r.Id));
            writer.Append(Record("a", ("m2", new ModelOutcome(0.5))));
        }

        var set = OutcomeJsonl.Read(path);
        Assert.Equal(["a", "b"], set.Records.Select(r => r.Id));
        Assert.Equal(0.5, set.Records[0].Outcomes["m2"].Score);
        Assert.Equal(1, set.Records[0].Outcomes["m"].Score);
    }

    [Fact]
    public void Writer_DiscardsATornLastLineAndTruncatesTheFile()
    {
        var complete = """{"id":"a","prompt":"p","outcomes":{"m":{"score":1}}}""" + "\n";
        var path = WriteText(complete + """{"id":"b","prompt":"p","outcomes":{"m":{"sc""");
        using (var writer = OutcomeJsonlWriter.Open(path))
        {
            Assert.Equal(2, writer.DiscardedTornLine);
            Assert.Equal(["a"], writer.Existing.Select(r => r.Id));
            Assert.Equal(complete, File.ReadAllText(path));
            writer.Append(Record("b", ("m", new ModelOutcome(0))));
        }

        Assert.Equal(["a", "b"], OutcomeJsonl.Read(path).Records.Select(r => r.Id));
    }

    [Fact]
    public void Writer_CompleteLastLineWithoutNewline_IsKeptAndTheNextLineStartsOnItsOwn()
    {
        var path = WriteText("""{"id":"a","prompt":"p","outcomes":{"m":{"score":1}}}""");
        using (var writer = OutcomeJsonlWriter.Open(path))
        {
            Assert.Null(writer.DiscardedTornLine);
            Assert.Single(writer.Existing);
            writer.Append(Record("b", ("m", new ModelOutcome(0))));
        }

        Assert.Equal(["a", "b"], OutcomeJsonl.Read(path).Records.Select(r => r.Id));
    }

    [Fact]
    public void Writer_MalformedMiddleLine_FailsTheOpenAndLeavesTheFileAlone()
    {
        var text = "{\"id\":\"a\",\"prompt\":\"p\",\"outcomes\":{\"m\":{\"score\":2}}}\n{\"id\":\"b\",\"prompt\":\"p\",\"outcomes\":{}}\n";
        var path = WriteText(text);
        var ex = Assert.Throws<OutcomeFormatException>(() => OutcomeJsonlWriter.Open(path));
        Assert.StartsWith(path + ":1: ", ex.Message, StringComparison.Ordinal);
        Assert.Equal(text, File.ReadAllText(path));
    }

    [Fact]
    public void Writer_TornLineThatIsNotLast_IsAnError()
    {
        var path = WriteText("{\"id\":\"a\",\"prompt\":\"p\",\"outco\n{\"id\":\"b\",\"prompt\":\"p\",\"outcomes\":{}}\n");
        Assert.Contains(":1: invalid JSON", Assert.Throws<OutcomeFormatException>(() => OutcomeJsonlWriter.Open(path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_IsOneLineEvenWithNewlinesInText()
    {
        var line = OutcomeJsonl.Serialize(Record("x\ny", ("m", new ModelOutcome(1) { Response = "a\nb\r\nc" })));
        Assert.DoesNotContain('\n', line);
        using var json = JsonDocument.Parse(line);
        Assert.Equal("a\nb\r\nc", json.RootElement.GetProperty("outcomes").GetProperty("m").GetProperty("response").GetString());
    }
}
