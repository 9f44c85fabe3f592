using System.Text;
using System.Text.Json;
using OpenAI.Chat;
using Switchyard.Configuration;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Gateway;

/// <summary>The embedded engine behind the real gateway, driven by the official OpenAI .NET SDK.</summary>
public sealed class EmbeddedGatewayTests : GatewayTestBase
{
    /// <summary>llama.cpp's greedy output on stories260K from "Once upon a time" (models/README.md).</summary>
    private const string Reference =
        "Once upon a time, there was a little girl named Lily. She loved to play outside in the park. One day, she saw a big, red ball. She wanted to";

    private static readonly string ModelPath = Path.Combine(RepoPaths.Root, "models", "stories260K.gguf");

    protected override void Configure(SwitchyardOptions options)
    {
        options.Providers["engine"] = new ProviderConfig { Kind = ProviderKinds.Embedded, Model = ModelPath, Zone = "self", MaxParallel = 1, MaxQueue = 4 };
        options.Models["stories"] = new ModelConfig { Provider = "engine", Price = new ModelPrice { Input = 0.01m, Output = 0.02m } };
        options.Routes["tales"] = new RouteConfig { Candidates = ["stories"] };
    }

    private static ChatCompletionOptions Greedy(int maxTokens) => new() { Temperature = 0, MaxOutputTokenCount = maxTokens };

    [Fact]
    public async Task Plain_GreedyCompletionReproducesLlamaCppWithExactUsage()
    {
        var result = await Gateway.OpenAIClient("tales").CompleteChatAsync([new UserChatMessage("Once upon a time")], Greedy(30));
        ChatCompletion completion = result.Value;

        string text = completion.Content[0].Text;
        Assert.True(text.Length > 60, text);
        Assert.StartsWith("Once upon a time" + text, Reference + " ", StringComparison.Ordinal);
        Assert.Equal("stories", completion.Model);
        Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
        Assert.Equal(30, completion.Usage.OutputTokenCount);
        Assert.Equal(5, completion.Usage.InputTokenCount); // BOS + "Once upon a time" in stories260K's vocabulary
        Assert.Equal(35, completion.Usage.TotalTokenCount);

        var records = await Gateway.StopAndReadLedgerAsync();
        var record = Assert.Single(records);
        Assert.Equal("stories", record.ServedModel);
        Assert.Equal(5, record.InputTokens);
        Assert.Equal(30, record.OutputTokens);
    }

    [Fact]
    public async Task Stream_DeliversTheSameTextAsPlainThenUsage()
    {
        var plain = await Gateway.OpenAIClient("stories").CompleteChatAsync([new UserChatMessage("Once upon a time")], Greedy(24));
        var text = new StringBuilder();
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;
        int chunks = 0;
        await foreach (var update in Gateway.OpenAIClient("stories").CompleteChatStreamingAsync([new UserChatMessage("Once upon a time")], Greedy(24)))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
                chunks++;
            }

            usage = update.Usage ?? usage;
            finish = update.FinishReason ?? finish;
        }

        Assert.Equal(plain.Value.Content[0].Text, text.ToString());
        Assert.True(chunks > 5, $"streamed in {chunks} chunks");
        Assert.Equal(ChatFinishReason.Length, finish);
        Assert.NotNull(usage);
        Assert.Equal(24, usage.OutputTokenCount);
        Assert.Equal(5, usage.InputTokenCount);
    }

    [Fact]
    public async Task StopSequence_EndsTheTextBeforeItWithFinishReasonStop()
    {
        var options = Greedy(60);
        options.StopSequences.Add("Lily");
        var result = await Gateway.OpenAIClient("stories").CompleteChatAsync([new UserChatMessage("Once upon a time")], options);

        Assert.Equal(", there was a little girl named ", result.Value.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, result.Value.FinishReason);
    }

    [Fact]
    public async Task SeededSampling_IsReproducibleAndDiffersFromGreedy()
    {
        var sampled = new ChatCompletionOptions { Temperature = 1.0f, Seed = 1234, MaxOutputTokenCount = 40 };
        var a = await Gateway.OpenAIClient("stories").CompleteChatAsync([new UserChatMessage("Once upon a time")], sampled);
        var b = await Gateway.OpenAIClient("stories").CompleteChatAsync([new UserChatMessage("Once upon a time")], sampled);
        Assert.Equal(a.Value.Content[0].Text, b.Value.Content[0].Text);

        var other = new ChatCompletionOptions { Temperature = 1.0f, Seed = 99, MaxOutputTokenCount = 40 };
        var c = await Gateway.OpenAIClient("stories").CompleteChatAsync([new UserChatMessage("Once upon a time")], other);
        Assert.NotEqual(a.Value.Content[0].Text, c.Value.Content[0].Text);
    }

    [Fact]
    public async Task PromptLongerThanTheContext_IsA400InOpenAIFormat()
    {
        string longPrompt = string.Join(' ', Enumerable.Repeat("the little dog ran home", 400));
        var body = JsonSerializer.Serialize(new { model = "stories", messages = new[] { new { role = "user", content = longPrompt } } });
        using var response = await Gateway.PostChatAsync(body);

        Assert.Equal(400, (int)response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        string message = json.RootElement.GetProperty("error").GetProperty("message").GetString()!;
        Assert.Contains("context", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ToolDefinitions_AreRefusedClearly()
    {
        const string body = """
            {"model":"stories","messages":[{"role":"user","content":"hi"}],
             "tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{}}}}]}
            """;
        using var response = await Gateway.PostChatAsync(body);
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("does not support tool calling", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
