using Microsoft.Extensions.AI;
using Switchyard.Local.Models;
using Switchyard.Local.Serving;
using Switchyard.Local.Tests.Infrastructure;
using Switchyard.Routing;

namespace Switchyard.Local.Tests.Serving;

/// <summary>The embedded model as an IChatClient, on stories260K.</summary>
public sealed class EmbeddedChatClientTests
{
    private const string Story = ", there was a little girl named Lily. She loved to play outside in the park.";

    private static readonly ChatOptions Greedy = new() { Temperature = 0, MaxOutputTokens = 20 };

    private static ChatMessage[] OnceUponATime => [new(ChatRole.User, "Once upon a time")];

    [Fact]
    public async Task Greedy_reply_is_the_reference_story_with_exact_usage()
    {
        using var client = NewClient();

        var response = await client.GetResponseAsync(OnceUponATime, Greedy);

        Assert.StartsWith(", there was a little girl named Lily.", response.Text, StringComparison.Ordinal);
        Assert.Equal(5, response.Usage!.InputTokenCount); // <s> Once upon a time
        Assert.Equal(20, response.Usage.OutputTokenCount);
        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.Equal("stories", response.ModelId);
    }

    [Fact]
    public async Task Streaming_gives_the_same_text_token_by_token()
    {
        using var client = NewClient();
        var plain = await client.GetResponseAsync(OnceUponATime, Greedy);

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(OnceUponATime, Greedy))
        {
            updates.Add(update);
        }

        Assert.True(updates.Count(u => u.Text.Length > 0) >= 10, "text should arrive in many pieces");
        Assert.Equal(plain.Text, string.Concat(updates.Select(u => u.Text)));
        var last = updates[^1];
        Assert.Equal(ChatFinishReason.Length, last.FinishReason);
        Assert.Equal(20, Assert.Single(last.Contents.OfType<UsageContent>()).Details.OutputTokenCount);
    }

    [Fact]
    public async Task Stop_sequence_ends_the_reply_before_it_and_counts_the_tokens_used()
    {
        using var client = NewClient();

        var response = await client.GetResponseAsync(OnceUponATime, new ChatOptions { Temperature = 0, MaxOutputTokens = 40, StopSequences = ["Lily"] });

        Assert.Equal(", there was a little girl named ", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.InRange(response.Usage!.OutputTokenCount!.Value, 8, 12);
    }

    [Fact]
    public async Task Seeded_sampling_is_reproducible_and_differs_between_seeds()
    {
        using var client = NewClient();
        ChatOptions Seeded(long seed) => new() { Temperature = 1.0f, Seed = seed, MaxOutputTokens = 30 };

        var a = await client.GetResponseAsync(OnceUponATime, Seeded(7));
        var b = await client.GetResponseAsync(OnceUponATime, Seeded(7));
        var texts = new HashSet<string>();
        for (int seed = 1; seed <= 4; seed++)
        {
            texts.Add((await client.GetResponseAsync(OnceUponATime, Seeded(seed))).Text);
        }

        Assert.Equal(a.Text, b.Text);
        Assert.True(texts.Count > 1, "different seeds should give different stories");
    }

    [Fact]
    public async Task Next_turn_reuses_the_cached_prefix_and_matches_a_fresh_client()
    {
        using var warm = NewClient();
        using var cold = NewClient();
        var first = await warm.GetResponseAsync(OnceUponATime, Greedy);
        ChatMessage[] longer = [new(ChatRole.User, "Once upon a time" + first.Text + " Then")];

        var reused = await warm.GetResponseAsync(longer, Greedy);
        var fresh = await cold.GetResponseAsync(longer, Greedy);

        Assert.Equal(fresh.Text, reused.Text);
        Assert.Equal(fresh.Usage!.InputTokenCount, reused.Usage!.InputTokenCount);
    }

    [Fact]
    public async Task Requests_beyond_the_queue_are_refused_with_the_configured_status()
    {
        using var client = NewClient(new EmbeddedEngineOptions { MaxParallel = 1, MaxQueue = 1, QueueFullStatus = 429 });
        var load = (ILoadSignal)client.GetService(typeof(ILoadSignal))!;

        // One streaming reply holds the slot while its reader holds the stream, one request waits, the third is refused.
        var running = client.GetStreamingResponseAsync(OnceUponATime, Greedy).GetAsyncEnumerator();
        Assert.True(await running.MoveNextAsync());
        Assert.Equal(1, load.Active);
        var waiting = client.GetResponseAsync(OnceUponATime, Greedy);
        await WaitUntil(() => load.Waiting == 1);
        Assert.True(load.IsSaturated);

        var refused = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync(OnceUponATime, Greedy));
        Assert.Equal(429, refused.StatusCode);
        Assert.Equal(ProviderFailureKind.RateLimited, refused.Kind);
        Assert.NotNull(refused.RetryAfter);

        // Letting go of the stream frees its slot for the waiting request.
        await running.DisposeAsync();
        var served = await waiting;
        Assert.StartsWith(", there was", served.Text, StringComparison.Ordinal);
        await WaitUntil(() => load.Active == 0 && load.Waiting == 0);
        Assert.True(load.DecodeTokensPerSecond > 0);
    }

    [Fact]
    public async Task Bad_requests_fail_before_queueing_with_400()
    {
        using var client = NewClient();

        var tools = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync(OnceUponATime, new ChatOptions { Tools = [AIFunctionFactory.Create(() => 1, "one")] }));
        var image = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, [new DataContent(new byte[] { 1, 2, 3 }, "image/png")])]));
        var topP = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync(OnceUponATime, new ChatOptions { TopP = 1.5f }));
        var tooLong = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, string.Join(' ', Enumerable.Repeat("Once upon a time", 60)))]));

        Assert.All(new[] { tools, image, topP, tooLong }, e => Assert.Equal(400, e.StatusCode));
        Assert.Contains("tool", tools.Message, StringComparison.Ordinal);
        Assert.Contains("top_p", topP.Message, StringComparison.Ordinal);
        Assert.Contains("context", tooLong.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Services_expose_metadata_load_and_model()
    {
        using var client = NewClient();

        Assert.Equal("stories", client.GetService<ChatClientMetadata>()!.DefaultModelId);
        Assert.NotNull(client.GetService<ILoadSignal>());
        Assert.Same(client.Model, client.GetService<TransformerModel>());
        Assert.Equal(128, client.ContextLength);
    }

    private static EmbeddedChatClient NewClient(EmbeddedEngineOptions? options = null) =>
        new(TransformerModel.Load(TestPaths.Stories260K), "stories", options, ownsModel: true);

    private static async Task WaitUntil(Func<bool> condition)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "timed out waiting for the scheduler");
            await Task.Delay(5);
        }
    }
}
