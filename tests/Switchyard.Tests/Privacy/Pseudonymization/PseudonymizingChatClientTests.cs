using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Switchyard.Privacy;
using Switchyard.Privacy.Pseudonymization;
using Switchyard.Testing;

namespace Switchyard.Tests.Privacy.Pseudonymization;

public sealed class PseudonymizingChatClientTests
{
    private const string Alice = "alice@example.com";
    private const string Bob = "bob@example.org";
    private const string Carol = "carol@example.net";
    private const string Dave = "dave@example.io";
    private const string Erin = "erin@example.co";
    private const string Falcon = "Falcon";

    private static readonly string[] s_originals = [Alice, Bob, Carol, Dave, Erin, Falcon];

    private static readonly JsonSerializerOptions s_json = new(AIJsonUtilities.DefaultOptions) { WriteIndented = false };

    internal static PrivacyScanner Scanner() => new([new TestEmailDetector(), new TestTermDetector(Falcon, "project")]);

    /// <summary>Everything a provider would be sent: the messages as JSON, and the instructions.</summary>
    internal static string Sent(IEnumerable<ChatMessage> messages, ChatOptions? options) =>
        JsonSerializer.Serialize<IList<ChatMessage>>([.. messages], s_json) + "\n" + options?.Instructions;

    [Fact]
    public async Task RoundTrip_Plain_RestoresTheEchoedText_AndTheModelNeverSeesAValue()
    {
        string? received = null;
        var inner = new TestChatClient
        {
            GetResponseAsyncCallback = (messages, options, _) =>
            {
                received = Sent(messages, options);
                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, messages.Last().Text)));
            },
        };
        using var client = new PseudonymizingChatClient(inner, Scanner());
        const string prompt = "Write to alice@example.com and bob@example.org about Falcon; alice@example.com leads Falcon.";

        ChatResponse response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, prompt)]);

        Assert.Equal(prompt, response.Text);
        Assert.NotNull(received);
        AssertNoOriginal(received);
        Assert.Contains("Write to [[EMAIL_1]] and [[EMAIL_2]] about [[PROJECT_1]]; [[EMAIL_1]] leads [[PROJECT_1]].", received, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_EveryPlaceTheModelSees_IsPseudonymized()
    {
        string? received = null;
        var inner = new TestChatClient
        {
            GetResponseAsyncCallback = (messages, options, _) =>
            {
                received = Sent(messages, options);
                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok")));
            },
        };
        using var client = new PseudonymizingChatClient(inner, Scanner());
        using JsonDocument jsonArgs = JsonDocument.Parse("""{"to":["carol@example.net"],"meta":{"dave@example.io":"Falcon","n":3}}""");
        List<ChatMessage> messages =
        [
            new(ChatRole.System, "You assist alice@example.com."),
            new(ChatRole.User, "Earlier turn: what about Falcon?"),
            new(ChatRole.Assistant,
            [
                new TextReasoningContent("thinking about bob@example.org"),
                new FunctionCallContent("c1", "send", new Dictionary<string, object?>
                {
                    ["to"] = Bob,
                    ["cc"] = new List<object?> { Carol, 7 },
                    ["nested"] = new Dictionary<string, object?> { ["who"] = new[] { Dave } },
                    ["json"] = jsonArgs.RootElement.Clone(),
                    ["node"] = JsonNode.Parse("""{"x":"erin@example.co"}"""),
                    ["count"] = 2,
                }),
            ]),
            new(ChatRole.Tool,
            [
                new FunctionResultContent("c1", "delivered to bob@example.org"),
                new FunctionResultContent("c2", JsonDocument.Parse("""{"owner":"alice@example.com","ok":true}""").RootElement),
                new FunctionResultContent("c3", new LookupResult(Carol, 3)),
                new FunctionResultContent("c4", new TextContent("plain erin@example.co")),
            ]),
            new(ChatRole.User, "Thanks."),
        ];

        await client.GetResponseAsync(messages, new ChatOptions { Instructions = "Never email dave@example.io." });

        Assert.NotNull(received);
        AssertNoOriginal(received);
        Assert.Contains("[[EMAIL_1]]", received, StringComparison.Ordinal); // system message
        Assert.Contains("[[PROJECT_1]]", received, StringComparison.Ordinal); // earlier turn and JSON argument
        Assert.Contains("\"ok\":true", received, StringComparison.Ordinal); // non-string JSON kept
        Assert.Contains("\"count\":2", received, StringComparison.Ordinal);
        Assert.Contains("\"n\":3", received, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Placeholders_SameValueSamePlaceholder_DistinctValuesDistinct_ClassesNumberedSeparately()
    {
        IList<ChatMessage>? received = null;
        var inner = new TestChatClient
        {
            GetResponseAsyncCallback = (messages, _, _) =>
            {
                received = [.. messages];
                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok")));
            },
        };
        using var client = new PseudonymizingChatClient(inner, Scanner());

        await client.GetResponseAsync(
        [
            new ChatMessage(ChatRole.System, "Owner: alice@example.com."),
            new ChatMessage(ChatRole.User, "bob@example.org, alice@example.com, Falcon, bob@example.org."),
        ]);

        Assert.NotNull(received);
        Assert.Equal("Owner: [[EMAIL_1]].", received[0].Text);
        Assert.Equal("[[EMAIL_2]], [[EMAIL_1]], [[PROJECT_1]], [[EMAIL_2]].", received[1].Text);
    }

    [Fact]
    public async Task CallersMessagesAndOptions_AreNotModified()
    {
        var inner = new TestChatClient
        {
            GetResponseAsyncCallback = (messages, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, messages.Last().Text))),
        };
        using var client = new PseudonymizingChatClient(inner, Scanner());
        var args = new Dictionary<string, object?> { ["to"] = Alice };
        var call = new FunctionCallContent("c1", "send", args);
        var result = new FunctionResultContent("c1", "sent to alice@example.com");
        var text = new TextContent("Mail bob@example.org");
        var raw = new object();
        var user = new ChatMessage(ChatRole.User, [text]) { RawRepresentation = raw };
        var assistant = new ChatMessage(ChatRole.Assistant, [call]);
        var tool = new ChatMessage(ChatRole.Tool, [result]);
        List<ChatMessage> messages = [assistant, tool, user];
        var options = new ChatOptions { Instructions = "Falcon only" };
        List<AIContent> userContents = [.. user.Contents];

        ChatResponse response = await client.GetResponseAsync(messages, options);

        Assert.Equal("Mail bob@example.org", response.Text);
        Assert.Equal([assistant, tool, user], messages);
        Assert.Equal(userContents, user.Contents);
        Assert.Same(raw, user.RawRepresentation);
        Assert.Equal("Mail bob@example.org", text.Text);
        Assert.Same(args, call.Arguments);
        Assert.Equal(Alice, args["to"]);
        Assert.Single(args);
        Assert.Equal("sent to alice@example.com", result.Result);
        Assert.Equal("Falcon only", options.Instructions);
    }

    [Fact]
    public async Task ToolCallArguments_ReturnedByTheModel_AreRestored()
    {
        var inner = new TestChatClient
        {
            GetResponseAsyncCallback = (messages, _, _) =>
            {
                Assert.Equal("Send [[PROJECT_1]] notes to [[EMAIL_1]] and [[EMAIL_2]]", messages.Single().Text);
                using JsonDocument json = JsonDocument.Parse("""{"cc":["[[EMAIL_2]]","[[EMAIL_9]]"],"[[EMAIL_1]]":{"n":1}}""");
                var call = new FunctionCallContent("call-1", "send_mail", new Dictionary<string, object?>
                {
                    ["to"] = "[[EMAIL_1]]",
                    ["subject"] = "[[PROJECT_1]] notes",
                    ["extra"] = json.RootElement.Clone(),
                    ["priority"] = 1,
                });
                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, [new TextContent("Sending to [[EMAIL_1]]."), call])));
            },
        };
        using var client = new PseudonymizingChatClient(inner, Scanner());

        ChatResponse response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Send Falcon notes to alice@example.com and bob@example.org")]);

        Assert.Equal("Sending to alice@example.com.", response.Text);
        FunctionCallContent restored = Assert.IsType<FunctionCallContent>(response.Messages.Single().Contents[1]);
        Assert.Equal(("call-1", "send_mail"), (restored.CallId, restored.Name));
        Assert.NotNull(restored.Arguments);
        Assert.Equal(Alice, restored.Arguments["to"]);
        Assert.Equal("Falcon notes", restored.Arguments["subject"]);
        Assert.Equal(1, restored.Arguments["priority"]);
        JsonElement extra = Assert.IsType<JsonElement>(restored.Arguments["extra"]);
        // A placeholder the request never handed out ([[EMAIL_9]]) stays as it is.
        Assert.Equal("""{"cc":["bob@example.org","[[EMAIL_9]]"],"alice@example.com":{"n":1}}""", extra.GetRawText());
    }

    [Fact]
    public async Task InventedOrAlteredPlaceholders_StayAsTheyAre()
    {
        var inner = new TestChatClient
        {
            GetResponseAsyncCallback = (_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant,
                "[[EMAIL_1]] [[EMAIL_2]] [[email_1]] [[ EMAIL_1 ]] [EMAIL_1] [[[EMAIL_1]]] [[EMAIL_1"))),
        };
        using var client = new PseudonymizingChatClient(inner, Scanner());

        ChatResponse response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi alice@example.com")]);

        Assert.Equal("alice@example.com [[EMAIL_2]] [[email_1]] [[ EMAIL_1 ]] [EMAIL_1] [alice@example.com] [[EMAIL_1", response.Text);
    }

    [Fact]
    public async Task PlaceholderWrittenLiterallyByTheCaller_IsNeverHandedOut()
    {
        string? sent = null;
        var inner = new TestChatClient
        {
            GetResponseAsyncCallback = (messages, _, _) =>
            {
                sent = messages.Single().Text;
                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, sent)));
            },
        };
        using var client = new PseudonymizingChatClient(inner, Scanner());
        const string prompt = "Template [[EMAIL_1]] is filled with alice@example.com, then [[EMAIL_2]] with bob@example.org.";

        ChatResponse response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, prompt)]);

        Assert.Equal("Template [[EMAIL_1]] is filled with [[EMAIL_3]], then [[EMAIL_2]] with [[EMAIL_4]].", sent);
        Assert.Equal(prompt, response.Text);
    }

    [Fact]
    public async Task NoFindings_PassesThroughUnchanged_SameInstances()
    {
        IEnumerable<ChatMessage>? receivedMessages = null;
        ChatOptions? receivedOptions = null;
        var reply = new ChatResponse(new ChatMessage(ChatRole.Assistant, "[[EMAIL_1]] stays"));
        var inner = new TestChatClient
        {
            GetResponseAsyncCallback = (messages, options, _) =>
            {
                (receivedMessages, receivedOptions) = (messages, options);
                return Task.FromResult(reply);
            },
        };
        using var client = new PseudonymizingChatClient(inner, Scanner());
        List<ChatMessage> messages = [new(ChatRole.System, "Be brief."), new(ChatRole.User, "Nothing [[personal]] here.")];
        var options = new ChatOptions { Instructions = "none" };

        ChatResponse response = await client.GetResponseAsync(messages, options);

        Assert.Same(messages, receivedMessages);
        Assert.Same(options, receivedOptions);
        Assert.Same(reply, response);
        Assert.Null(PseudonymizationReport.From(response));
    }

    [Fact]
    public async Task Report_CountsPerClass_InTheResponse()
    {
        var inner = new TestChatClient
        {
            GetResponseAsyncCallback = (_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok"))
            {
                AdditionalProperties = new() { ["upstream"] = "kept" },
            }),
        };
        using var client = new PseudonymizingChatClient(inner, Scanner());

        ChatResponse response = await client.GetResponseAsync(
        [
            new ChatMessage(ChatRole.System, "alice@example.com"),
            new ChatMessage(ChatRole.User, "alice@example.com, bob@example.org, Falcon"),
        ]);

        PseudonymizationReport? report = PseudonymizationReport.From(response);
        Assert.NotNull(report);
        Assert.Equal(3, report.Occurrences[DataClasses.Email]);
        Assert.Equal(2, report.DistinctValues[DataClasses.Email]);
        Assert.Equal(1, report.Occurrences["project"]);
        Assert.Equal(4, report.TotalOccurrences);
        Assert.Equal("kept", response.AdditionalProperties!["upstream"]);
    }

    [Fact]
    public async Task Mapping_LivesOnlyForTheRequest()
    {
        var texts = new List<string>();
        var inner = new TestChatClient
        {
            GetResponseAsyncCallback = (messages, _, _) =>
            {
                texts.Add(messages.Single().Text);
                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "[[EMAIL_1]] [[EMAIL_2]]")));
            },
        };
        using var client = new PseudonymizingChatClient(inner, Scanner());

        ChatResponse first = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "alice@example.com")]);
        ChatResponse second = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "bob@example.org")]);

        Assert.Equal(["[[EMAIL_1]]", "[[EMAIL_1]]"], texts);
        Assert.Equal("alice@example.com [[EMAIL_2]]", first.Text);
        Assert.Equal("bob@example.org [[EMAIL_2]]", second.Text);
    }

    internal static void AssertNoOriginal(string sent)
    {
        foreach (string original in s_originals)
        {
            Assert.DoesNotContain(original, sent, StringComparison.Ordinal);
        }
    }

    internal sealed record LookupResult(string Owner, int Count);
}
