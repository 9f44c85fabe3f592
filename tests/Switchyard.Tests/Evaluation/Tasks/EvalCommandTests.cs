using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Switchyard.Cli;
using Switchyard.Evaluation;
using Switchyard.Storage.Ledger;

namespace Switchyard.Tests.Evaluation.Tasks;

/// <summary><c>switchyard eval</c> end to end: the command parsed and run in process against loopback upstreams.</summary>
public sealed partial class EvalCommandTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string> GoodAnswers = new(StringComparer.Ordinal)
    {
        ["Capital of France?"] = "  paris ",
        ["Christmas 2025 in ISO format?"] = "2025-12-25",
        ["How many clips in April and May?"] = "48 + 48/2 = 48 + 24 = 72\n#### 72",
        ["Describe Ada as JSON."] = "Sure:\n```json\n{\"name\": \"Ada Lovelace\", \"born\": 1815}\n```",
        ["Which is conserved? A. x B. y C. z"] = "Kinetic energy. Answer: B",
        ["Capital of Italy?"] = "Rome.",
        ["Another fruit?"] = "Pear.",
    };

    private readonly string _dir = Directory.CreateTempSubdirectory("eval-cli-").FullName;
    private ScriptedUpstream _upstream = null!;
    private ScriptedUpstream _judge = null!;
    private volatile Func<ScriptedRequest, CancellationToken, Task>? _hook;

    public async Task InitializeAsync()
    {
        _upstream = await ScriptedUpstream.StartAsync(async (request, ct) =>
        {
            if (_hook is { } hook)
            {
                await hook(request, ct);
            }

            return request.Model switch
            {
                "good-up" => new ScriptedReply(GoodAnswers.GetValueOrDefault(request.LastUserText, "Paris")),
                "bad-up" => new ScriptedReply("I don't know"),
                _ => ScriptedReply.Error(500),
            };
        });
        _judge = await ScriptedUpstream.StartAsync(request =>
        {
            var answer = AnswerInJudgePrompt().Match(request.LastUserText).Groups[1].Value;
            return new ScriptedReply(answer.Contains("don't know", StringComparison.Ordinal) ? "Unhelpful. Rating: [[2]]" : "Correct and clear. Rating: [[9]]");
        });
    }

    public async Task DisposeAsync()
    {
        await _upstream.DisposeAsync();
        await _judge.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [GeneratedRegex(@"\[The Start of Assistant's Answer\]\n(.*)\n\[The End of Assistant's Answer\]", RegexOptions.Singleline)]
    private static partial Regex AnswerInJudgePrompt();

    private string Ledger => Path.Combine(_dir, "ledger.db");

    private string Config() => WriteFile("switchyard.json", $$"""
        { "Switchyard": {
            "Providers": {
              "models": { "Kind": "openai-compatible", "BaseUrl": "{{_upstream.BaseUri}}", "MaxRetries": 0 },
              "broken": { "Kind": "openai-compatible", "BaseUrl": "{{_upstream.BaseUri}}", "MaxRetries": 0, "CircuitFailureThreshold": 1000 },
              "judges": { "Kind": "openai-compatible", "BaseUrl": "{{_judge.BaseUri}}", "MaxRetries": 0 } },
            "Models": {
              "good": { "Provider": "models", "UpstreamModel": "good-up", "Price": { "Input": 1, "Output": 2 } },
              "bad": { "Provider": "models", "UpstreamModel": "bad-up" },
              "down": { "Provider": "broken", "UpstreamModel": "down-up" },
              "judge": { "Provider": "judges", "UpstreamModel": "judge-up" } },
            "Routes": { "default": { "Candidates": ["good"] } },
            "Ledger": { "Path": "{{Ledger}}" } } }
        """);

    private string WriteFile(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    private string AllGraderTasks() => WriteFile("tasks.jsonl", """
        {"id":"exact","prompt":"Capital of France?","reference":"Paris","grader":"exact"}
        {"id":"regex","prompt":"Christmas 2025 in ISO format?","grader":{"type":"regex","pattern":"^2025-12-25$"}}
        {"id":"numeric","prompt":"How many clips in April and May?","reference":"#### 72","grader":"numeric"}
        {"id":"json","prompt":"Describe Ada as JSON.","grader":{"type":"json_schema","schema":{"type":"object","properties":{"name":{"type":"string"},"born":{"type":"integer"}},"required":["name","born"]}}}
        {"id":"choice","prompt":"Which is conserved? A. x B. y C. z","reference":"B","grader":"choice"}
        {"id":"judge-ref","prompt":"Capital of Italy?","reference":"Rome","grader":{"type":"judge","model":"judge"}}
        {"id":"judge-chat","messages":[{"role":"user","content":"Name a fruit."},{"role":"assistant","content":"Apple."},{"role":"user","content":"Another fruit?"}],"grader":"judge"}
        """);

    private string SimpleTasks(int count)
    {
        var lines = Enumerable.Range(1, count).Select(i => $$"""{"id":"t{{i}}","prompt":"question {{i}}","reference":"Paris","grader":"exact"}""");
        return WriteFile("simple.jsonl", string.Join("\n", lines) + "\n");
    }

    private static async Task<(int Code, string Out, string Err)> EvalAsync(CancellationToken cancellationToken, params string[] args)
    {
        var root = new RootCommand { EvalCommand.Create() };
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var code = await root.Parse(["eval", .. args]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null }, cancellationToken);
        return (code, output.ToString(), error.ToString());
    }

    private static Task<(int Code, string Out, string Err)> EvalAsync(params string[] args) => EvalAsync(CancellationToken.None, args);

    private int CallsFor(string upstreamModel) => _upstream.Requests.Count(r => r.Model == upstreamModel);

    [Fact]
    public async Task EveryGrader_ThreeModels_JudgeThroughASecondUpstream()
    {
        var tasks = AllGraderTasks();
        var outFile = Path.Combine(_dir, "out.jsonl");
        var (code, stdout, stderr) = await EvalAsync("--tasks", tasks, "--models", "good,bad", "--models", "down", "--judge", "judge", "--config", Config(), "--out", outFile, "--concurrency", "3");
        Assert.True(code == 0, stderr + stdout);

        var set = OutcomeJsonl.Read(outFile);
        Assert.Equal(7, set.Records.Count);
        var byId = set.Records.ToDictionary(r => r.Id);
        foreach (var id in new[] { "exact", "regex", "numeric", "json", "choice" })
        {
            Assert.True(byId[id].Outcomes["good"].Score == 1, $"{id}: good scored {byId[id].Outcomes["good"].Score} on '{byId[id].Outcomes["good"].Response}'");
            Assert.Equal(0, byId[id].Outcomes["bad"].Score);
            Assert.Null(byId[id].Outcomes["bad"].Error);
        }

        foreach (var id in new[] { "judge-ref", "judge-chat" })
        {
            Assert.Equal(0.9, byId[id].Outcomes["good"].Score);
            Assert.Equal(9, byId[id].Outcomes["good"].RawScore);
            Assert.Equal(0.2, byId[id].Outcomes["bad"].Score);
        }

        foreach (var record in set.Records)
        {
            var down = record.Outcomes["down"];
            Assert.Equal(0, down.Score);
            Assert.Contains("500", down.Error, StringComparison.Ordinal);
        }

        var exact = byId["exact"].Outcomes["good"];
        Assert.Equal("  paris ", exact.Response);
        Assert.Equal(10, exact.InputTokens);
        Assert.Equal(5, exact.OutputTokens);
        Assert.Equal(0.00002m, exact.Cost); // (10 × $1 + 5 × $2) per million
        Assert.NotNull(exact.LatencyMs);
        Assert.Equal(3, byId["judge-chat"].Messages.Count);

        Assert.Equal(7, CallsFor("good-up"));
        Assert.Equal(7, CallsFor("bad-up"));
        Assert.Equal(7, CallsFor("down-up"));
        Assert.Equal(4, _judge.Requests.Count); // two judged tasks × the two models that answered
        Assert.All(_judge.Requests, r => Assert.Equal("judge-up", r.Model));
        Assert.Contains(_judge.Requests, r => r.LastUserText.Contains("[The Start of Reference Answer]\nRome", StringComparison.Ordinal));

        Assert.Contains("Evaluation summary", stdout, StringComparison.Ordinal);
        Assert.Contains("0.971", stdout, StringComparison.Ordinal); // good: (5 × 1 + 2 × 0.9) / 7
        Assert.Contains("0.057", stdout, StringComparison.Ordinal); // bad: (2 × 0.2) / 7
        Assert.Contains("0.000140", stdout, StringComparison.Ordinal); // good's cost: 7 × $0.00002
        Assert.Contains("eval: 7/7 tasks, 21/21 calls, 7 failed", stdout, StringComparison.Ordinal);
        Assert.Contains($"Outcomes: {outFile} (7 tasks written by this run)", stdout, StringComparison.Ordinal);

        var ledger = new LedgerReader(Ledger).Recent(100);
        Assert.Equal(25, ledger.Count);
        Assert.All(ledger, r => Assert.Equal("switchyard-eval", r.Caller));
    }

    [Fact]
    public async Task Route_IsCostedAtTheServingModelsPrice_AndTheDefaultOutIsBesideTheTasks()
    {
        var tasks = SimpleTasks(2);
        var (code, _, stderr) = await EvalAsync("--tasks", tasks, "--models", "DEFAULT", "--config", Config());
        Assert.True(code == 0, stderr);
        var set = OutcomeJsonl.Read(Path.Combine(_dir, "simple.outcomes.jsonl"));
        Assert.Equal(["default"], set.Models);
        Assert.All(set.Records, r => Assert.Equal(0.00002m, r.Outcomes["default"].Cost));
        Assert.All(set.Records, r => Assert.Equal(1, r.Outcomes["default"].Score));
    }

    [Fact]
    public async Task Interrupted_ThenResumed_RunsOnlyWhatIsMissing()
    {
        var tasks = SimpleTasks(6);
        var config = Config();
        var outFile = Path.Combine(_dir, "resume.jsonl");
        using var interrupt = new CancellationTokenSource();
        var seen = 0;
        _hook = async (_, ct) =>
        {
            if (Interlocked.Increment(ref seen) == 4)
            {
                await interrupt.CancelAsync();
                await Task.Delay(Timeout.Infinite, ct); // in flight when the run stops: must not be recorded
            }
        };
        var (code, _, stderr) = await EvalAsync(interrupt.Token, "--tasks", tasks, "--models", "good", "--config", config, "--out", outFile, "--concurrency", "1");
        Assert.Equal(130, code);
        Assert.Contains("Interrupted: 3 of 6 tasks are complete in " + outFile, stderr, StringComparison.Ordinal);
        Assert.Contains("Run the same command again to resume.", stderr, StringComparison.Ordinal);
        Assert.Equal(["t1", "t2", "t3"], OutcomeJsonl.Read(outFile).Records.Select(r => r.Id));
        Assert.Equal(3, File.ReadAllLines(outFile).Length);

        _hook = null;
        var before = _upstream.Requests.Count;
        var (again, stdout, stderr2) = await EvalAsync("--tasks", tasks, "--models", "good", "--config", config, "--out", outFile, "--concurrency", "1");
        Assert.True(again == 0, stderr2);
        Assert.Contains("Resuming: 3 tasks already complete; running 3 tasks (3 calls).", stdout, StringComparison.Ordinal);
        Assert.Equal(["question 4", "question 5", "question 6"], _upstream.Requests.Skip(before).Select(r => r.LastUserText));
        var set = OutcomeJsonl.Read(outFile);
        Assert.Equal(["t1", "t2", "t3", "t4", "t5", "t6"], set.Records.Select(r => r.Id));
        Assert.All(set.Records, r => Assert.Equal(1, r.Outcomes["good"].Score));

        // A third run has nothing left to do and calls nothing.
        var (third, stdout3, _) = await EvalAsync("--tasks", tasks, "--models", "good", "--config", config, "--out", outFile);
        Assert.Equal(0, third);
        Assert.Contains("Resuming: 6 tasks already complete; running 0 tasks (0 calls).", stdout3, StringComparison.Ordinal);
        Assert.Equal(before + 3, _upstream.Requests.Count);
    }

    [Fact]
    public async Task AddingAModel_RunsOnlyTheNewModel_AndMergesTheRecords()
    {
        var tasks = SimpleTasks(3);
        var config = Config();
        var outFile = Path.Combine(_dir, "merge.jsonl");
        Assert.Equal(0, (await EvalAsync("--tasks", tasks, "--models", "good", "--config", config, "--out", outFile)).Code);
        Assert.Equal(3, CallsFor("good-up"));

        var (code, stdout, stderr) = await EvalAsync("--tasks", tasks, "--models", "good,bad", "--config", config, "--out", outFile);
        Assert.True(code == 0, stderr);
        Assert.Contains("Resuming: 0 tasks already complete; running 3 tasks (3 calls).", stdout, StringComparison.Ordinal);
        Assert.Equal(3, CallsFor("good-up"));
        Assert.Equal(3, CallsFor("bad-up"));
        var set = OutcomeJsonl.Read(outFile);
        Assert.Equal(3, set.Records.Count);
        Assert.All(set.Records, r => Assert.Equal(["good", "bad"], r.Outcomes.Keys));
        Assert.Equal(6, File.ReadAllLines(outFile).Length); // append-only: the complete lines follow the partial ones
    }

    [Fact]
    public async Task TornLastLine_IsDiscardedAndItsTaskRunAgain()
    {
        var tasks = SimpleTasks(3);
        var config = Config();
        var outFile = Path.Combine(_dir, "torn.jsonl");
        Assert.Equal(0, (await EvalAsync("--tasks", tasks, "--models", "good", "--config", config, "--out", outFile, "--concurrency", "1")).Code);
        var text = File.ReadAllText(outFile);
        var lastLineStart = text.TrimEnd('\n').LastIndexOf('\n') + 1;
        File.WriteAllText(outFile, text[..(lastLineStart + 25)]); // the third line cut off mid-write

        var before = _upstream.Requests.Count;
        var (code, stdout, stderr) = await EvalAsync("--tasks", tasks, "--models", "good", "--config", config, "--out", outFile);
        Assert.True(code == 0, stderr);
        Assert.Contains($"Discarded the incomplete last line (3) of {outFile}", stdout, StringComparison.Ordinal);
        Assert.Equal(["question 3"], _upstream.Requests.Skip(before).Select(r => r.LastUserText));
        Assert.Equal(["t1", "t2", "t3"], OutcomeJsonl.Read(outFile).Records.Select(r => r.Id));
    }

    [Fact]
    public async Task Errors_AreOneLineWithExitCode2()
    {
        var config = Config();
        var tasks = SimpleTasks(2);

        async Task Expect(string message, params string[] args)
        {
            var (code, _, stderr) = await EvalAsync(args);
            Assert.True(code == 2, $"exit {code}: {stderr}");
            Assert.Contains(message, stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
            if (!stderr.StartsWith("Invalid Switchyard configuration:", StringComparison.Ordinal))
            {
                Assert.Single(stderr.TrimEnd().Split('\n')); // configuration errors list every problem, as serve does
            }
        }

        await Expect("--models: 'nope' is not a configured model or route (configured: bad, default, down, good, judge).", "--tasks", tasks, "--models", "good,nope", "--config", config);
        await Expect("--tasks FILE is required", "--models", "good", "--config", config);
        await Expect("--models is required", "--tasks", tasks, "--config", config);
        await Expect("--tasks: the file '" + Path.Combine(_dir, "missing.jsonl") + "' does not exist.", "--tasks", Path.Combine(_dir, "missing.jsonl"), "--models", "good", "--config", config);
        await Expect("--judge: 'ghost' is not a configured model or route", "--tasks", tasks, "--models", "good", "--judge", "ghost", "--config", config);
        await Expect("--concurrency must be 1 or more.", "--tasks", tasks, "--models", "good", "--concurrency", "0", "--config", config);
        await Expect("--grader: the grader '{bad' is not valid JSON", "--tasks", tasks, "--models", "good", "--grader", "{bad", "--config", config);
        await Expect("--config: the file", "--tasks", tasks, "--models", "good", "--config", Path.Combine(_dir, "nothing.json"));

        var badTasks = WriteFile("bad.jsonl", """{"id":"a","prompt":"p","reference":"x","grader":"exact"}""" + "\n" + """{"id":"b","prompt":"p","grader":"exact"}""" + "\n");
        await Expect(badTasks + ":2: task 'b': the exact grader needs a \"reference\"", "--tasks", badTasks, "--models", "good", "--config", config);

        var judgeTask = WriteFile("judge.jsonl", """{"id":"a","prompt":"p","grader":"judge"}""" + "\n");
        await Expect(judgeTask + ":1: task 'a': the judge grader needs a judging model: set \"model\" in the grader or pass --judge", "--tasks", judgeTask, "--models", "good", "--config", config);

        var badOut = WriteFile("bad-out.jsonl", """{"id":"t1","prompt":"question 1","outcomes":{"good":{"score":7}}}""" + "\n" + """{"id":"t2","prompt":"question 2","outcomes":{}}""" + "\n");
        await Expect(badOut + ":1: record 't1', model 'good': 'score' is 7", "--tasks", tasks, "--models", "good", "--config", config, "--out", badOut);

        var otherSet = WriteFile("other.jsonl", """{"id":"t1","prompt":"a different question","outcomes":{}}""" + "\n");
        await Expect(otherSet + ": the record 't1' has other messages than the task of that id (task file line 1); it holds outcomes of another task set: pass another --out.", "--tasks", tasks, "--models", "good", "--config", config, "--out", otherSet);

        Assert.Empty(_upstream.Requests);
    }

    [Fact]
    public async Task DefaultGrader_FromTheCommandLine()
    {
        var tasks = WriteFile("nograder.jsonl", """{"id":"a","prompt":"How many clips in April and May?","reference":72}""" + "\n");
        var outFile = Path.Combine(_dir, "g.jsonl");
        var (code, _, stderr) = await EvalAsync("--tasks", tasks, "--models", "good", "--grader", """{"type":"numeric","tolerance":0.5}""", "--config", Config(), "--out", outFile);
        Assert.True(code == 0, stderr);
        Assert.Equal(1, OutcomeJsonl.Read(outFile).Records[0].Outcomes["good"].Score);
    }

    [Fact]
    public async Task RealProcess_LocksTheOutcomeFile_AndSigintStopsCleanlyWith130()
    {
        var tasks = SimpleTasks(5);
        var outFile = Path.Combine(_dir, "sigint.jsonl");
        var third = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var seen = 0;
        _hook = async (_, ct) =>
        {
            if (Interlocked.Increment(ref seen) == 3)
            {
                third.TrySetResult();
                await Task.Delay(Timeout.Infinite, ct);
            }
        };

        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = _dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "switchyard.dll"), "eval", "--tasks", tasks, "--models", "good", "--config", Config(), "--out", outFile, "--concurrency", "1" })
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await third.Task.WaitAsync(timeout.Token);

        // While it runs, the outcome file is locked against a second writer (readers are not blocked).
        if (!OperatingSystem.IsMacOS())
        {
            var locked = Assert.Throws<IOException>(() => OutcomeJsonlWriter.Open(outFile));
            Assert.Contains("is being written by another run", locked.Message, StringComparison.Ordinal);
            Assert.Equal(["t1", "t2"], OutcomeJsonl.Read(outFile).Records.Select(r => r.Id));
        }

        using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(timeout.Token);
        }

        await process.WaitForExitAsync(timeout.Token);
        var err = await stderr;
        Assert.True(process.ExitCode == 130, $"exit {process.ExitCode}: {err} {await stdout}");
        Assert.Contains("Interrupted: 2 of 5 tasks are complete", err, StringComparison.Ordinal);
        Assert.Equal(["t1", "t2"], OutcomeJsonl.Read(outFile).Records.Select(r => r.Id));
    }
}
