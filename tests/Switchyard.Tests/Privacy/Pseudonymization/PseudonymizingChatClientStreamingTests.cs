using Microsoft.Extensions.AI;
using Switchyard.Privacy;
using Switchyard.Privacy.Pseudonymization;
using Switchyard.Testing;
using static Switchyard.Tests.Privacy.Pseudonymization.PseudonymizingChatClientTests;

namespace Switchyard.Tests.Privacy.Pseudonymization;

public sealed class PseudonymizingChatClientStreamingTests
{
    // Values to replace, a placeholder-like literal the request never hands out, brackets, a placeholder's start that
    // turns out not to be one, and a trailing "[[" that is only released when the stream ends.
    private const string Prompt = "Hi alice@example.com, cc bob@example.org; re Falcon. Keep [[EMAIL_9]], [x], [[y]] and [[EMAIL_1 as is. Bye alice@example.com [[";

    private const string Pseudonymized = "Hi [[EMAIL_1]], cc [[EMAIL_2]]; re [[PROJECT_1]]. Keep [[EMAIL_9]], [x], [[y]] and [[EMAIL_1 as is. Bye [[EMAIL_1]] [[";

    [Fact]
    public async Task Echo_InOneChunk_IsRestored_AndTheModelNeverSeesAValue()
    {
        string? sent = null;
        var inner = new TestChatClient
        {
            GetStreamingResponseAsyncCallback = (messages, options, _) =>
            {
                sent = Sent(messages, options);
                return Stream([messages.Last().Text]);
            },
        };
        using var client = new PseudonymizingChatClient(inner, Scanner());

        List<ChatResponseUpdate> updates = await CollectAsync(client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, Prompt)]));

        Assert.NotNull(sent);
        AssertNoOriginal(sent);
        Assert.Contains(Pseudonymized, sent, StringComparison.Ordinal);
        Assert.Equal(Prompt, string.Concat(updates.Select(u => u.Text)));
    }

    [Fact]
    public async Task Echo_SplitInTwo_AtEveryPossibleBoundary_IsRestoredExactly()
    {
        for (int k = 0; k <= Pseudonymized.Length; k++)
        {
            string text = await EchoAsync(p => [p[..k], p[k..]]);
            Assert.True(Prompt == text, $"split at {k}: {text}");
        }
    }

    [Fact]
    public async Task Echo_SplitInThree_AtEveryPairOfBoundaries_IsRestoredExactly()
    {
        for (int i = 0; i <= Pseudonymized.Length; i++)
        {
            for (int j = i; j <= Pseudonymized.Length; j++)
            {
                string text = await EchoAsync(p => [p[..i], p[i..j], p[j..]]);
                Assert.True(Prompt == text, $"split at {i} and {j}: {text}");
            }
        }
    }

    [Fact]
    public async Task Echo_OneCharacterPerChunk_IsRestoredExactly()
    {
        string text = await EchoAsync(p => p.Select(c => c.ToString()));

        Assert.Equal(Prompt, text);
    }

    [Fact]
    public async Task Text_IsEmittedAsSoonAsItCannotBePartOfAPlaceholder()
    {
        var inner = new TestChatClient { GetStreamingResponseAsyncCallback = (messages, _, _) => Stream(messages.Last().Text.Select(c => c.ToString())) };
        using var client = new PseudonymizingChatClient(inner, Scanner());

        List<ChatResponseUpdate> updates = await CollectAsync(client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "ab alice@example.com [x")]));

        // Echoed one character per update: "ab [[EMAIL_1]] [x". "[" and everything up to "[[EMAIL_1]" is held back,
        // the closing "]" releases the value, "[x" goes out at "x" (no placeholder starts "[x"), and the final update
        // only carries the report.
        string[] expected = ["a", "b", " ", .. Enumerable.Repeat("", 10), "alice@example.com", " ", "", "[x", ""];
        Assert.Equal(expected, updates.Select(u => u.Text));
        Assert.All(updates.SkipLast(1), u => Assert.Equal("m1", u.MessageId));
    }

    [Fact]
    public async Task NonTextContents_PassThroughInOrder_AndAHeldTailIsFlushedBeforeThem()
    {
        var usage = new UsageContent(new UsageDetails { InputTokenCount = 5, OutputTokenCount = 7 });
        var finish = new ChatResponseUpdate { FinishReason = ChatFinishReason.Stop, MessageId = "m1" };
        var inner = new TestChatClient
        {
            GetStreamingResponseAsyncCallback = (_, _, _) => Stream(
            [
                Update("Hi [[EM"),
                Update("AIL_1]]! Calling [[EMAIL_"),
                new ChatResponseUpdate(ChatRole.Assistant,
                [
                    new FunctionCallContent("c1", "send", new Dictionary<string, object?> { ["to"] = "[[EMAIL_1]]" }),
                ]) { MessageId = "m1" },
                new ChatResponseUpdate(null, [usage]) { MessageId = "m1" },
                finish,
            ]),
        };
        using var client = new PseudonymizingChatClient(inner, Scanner());

        List<ChatResponseUpdate> updates = await CollectAsync(client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "alice@example.com")]));

        Assert.Equal(6, updates.Count);
        Assert.Equal("Hi ", updates[0].Text);
        Assert.Equal("alice@example.com! Calling ", updates[1].Text);
        // The held "[[EMAIL_" cannot continue past a function call: it goes out as it is, just before the call.
        Assert.Equal("[[EMAIL_", Assert.IsType<TextContent>(updates[2].Contents[0]).Text);
        FunctionCallContent call = Assert.IsType<FunctionCallContent>(updates[2].Contents[1]);
        Assert.Equal("alice@example.com", call.Arguments!["to"]);
        Assert.Same(usage, Assert.Single(updates[3].Contents));
        Assert.Same(finish, updates[4]);
        Assert.Empty(updates[5].Contents);
        Assert.NotNull(PseudonymizationReport.From(updates[5]));
    }

    [Fact]
    public async Task HeldTail_IsFlushedInItsOwnMessage_WhenTheNextUpdateStartsAnotherMessage()
    {
        var inner = new TestChatClient
        {
            GetStreamingResponseAsyncCallback = (_, _, _) => Stream([Update("one [[EM", "m1"), Update("two [[EMAIL_1]]", "m2")]),
        };
        using var client = new PseudonymizingChatClient(inner, Scanner());

        ChatResponse response = await client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "alice@example.com")]).ToChatResponseAsync();

        Assert.Equal(2, response.Messages.Count);
        Assert.Equal(("m1", "one [[EM"), (response.Messages[0].MessageId, response.Messages[0].Text));
        Assert.Equal(("m2", "two alice@example.com"), (response.Messages[1].MessageId, response.Messages[1].Text));
    }

    [Fact]
    public async Task ReasoningText_IsRestoredToo()
    {
        var inner = new TestChatClient
        {
            GetStreamingResponseAsyncCallback = (_, _, _) => Stream(
            [
                new ChatResponseUpdate(ChatRole.Assistant, [new TextReasoningContent("mail [[EMA")]) { MessageId = "m1" },
                new ChatResponseUpdate(ChatRole.Assistant, [new TextReasoningContent("IL_1]] now"), new TextContent("Done: [[EMAIL_1]]")]) { MessageId = "m1" },
            ]),
        };
        using var client = new PseudonymizingChatClient(inner, Scanner());

        ChatResponse response = await client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "alice@example.com")]).ToChatResponseAsync();

        ChatMessage message = Assert.Single(response.Messages);
        Assert.Equal("mail alice@example.com now", string.Concat(message.Contents.OfType<TextReasoningContent>().Select(r => r.Text)));
        Assert.Equal("Done: alice@example.com", message.Text);
    }

    [Fact]
    public async Task Report_IsInTheLastUpdate_AndInTheAggregatedResponse()
    {
        var inner = new TestChatClient { GetStreamingResponseAsyncCallback = (messages, _, _) => Stream([messages.Last().Text]) };
        using var client = new PseudonymizingChatClient(inner, Scanner());

        ChatResponse response = await client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, Prompt)]).ToChatResponseAsync();

        Assert.Equal(Prompt, response.Text);
        PseudonymizationReport? report = PseudonymizationReport.From(response);
        Assert.NotNull(report);
        Assert.Equal(3, report.Occurrences[DataClasses.Email]);
        Assert.Equal(2, report.DistinctValues[DataClasses.Email]);
        Assert.Equal(1, report.Occurrences["project"]);
    }

    [Fact]
    public async Task NoFindings_StreamPassesThrough_SameUpdates_NoExtraUpdate()
    {
        ChatResponseUpdate[] upstream = [Update("[[EMAIL_1]] and [["), Update("EMAIL_1]]")];
        var inner = new TestChatClient { GetStreamingResponseAsyncCallback = (_, _, _) => Stream(upstream) };
        using var client = new PseudonymizingChatClient(inner, Scanner());

        List<ChatResponseUpdate> updates = await CollectAsync(client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "nothing personal")]));

        Assert.Equal(upstream, updates);
    }

    // Streams the echo of the pseudonymised prompt, split by split, and returns the text the caller receives.
    private static async Task<string> EchoAsync(Func<string, IEnumerable<string>> split)
    {
        var inner = new TestChatClient
        {
            GetStreamingResponseAsyncCallback = (messages, _, _) =>
            {
                string received = messages.Last().Text;
                Assert.Equal(Pseudonymized, received);
                return Stream(split(received));
            },
        };
        using var client = new PseudonymizingChatClient(inner, Scanner());
        List<ChatResponseUpdate> updates = await CollectAsync(client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, Prompt)]));
        return string.Concat(updates.Select(u => u.Text));
    }

    private static ChatResponseUpdate Update(string text, string messageId = "m1") => new(ChatRole.Assistant, text) { MessageId = messageId };

    private static IAsyncEnumerable<ChatResponseUpdate> Stream(IEnumerable<string> chunks) => Stream(chunks.Select(c => Update(c)));

    private static async IAsyncEnumerable<ChatResponseUpdate> Stream(IEnumerable<ChatResponseUpdate> updates)
    {
        foreach (ChatResponseUpdate update in updates)
        {
            await Task.Yield();
            yield return update;
        }
    }

    private static async Task<List<ChatResponseUpdate>> CollectAsync(IAsyncEnumerable<ChatResponseUpdate> updates)
    {
        var list = new List<ChatResponseUpdate>();
        await foreach (ChatResponseUpdate update in updates)
        {
            list.Add(update);
        }

        return list;
    }
}
