namespace Switchyard.Local.Tests.Reference;

/// <summary>The llama.cpp reference itself, on stories260K (vocabulary of 512, BOS = 1).</summary>
public sealed class LlamaCppReferenceTests
{
    private const string Prompt = "Once upon a time";

    private const string GreedyStory =
        "Once upon a time, there was a little girl named Lily. She loved to play outside in the park. " +
        "One day, she saw a big, red ball. She wanted to";

    private static readonly int[] PromptWithBos = [1, 403, 407, 261, 378];

    private static readonly Lazy<Task<LlamaCppResult>> Story = new(() =>
        LlamaCppReference.GenerateAsync(ModelPath, Prompt, tokens: null, n: 44, logits: 44, addBos: true));

    private static string ModelPath => Path.Combine(LlamaCppReference.RepoRoot, "models", "stories260K.gguf");

    [Fact]
    public async Task Greedy_continuation_of_once_upon_a_time_is_the_known_story()
    {
        var result = await Story.Value;

        Assert.Equal(PromptWithBos, result.PromptTokens);
        Assert.Equal(44, result.Tokens.Length);
        Assert.Equal(GreedyStory, Prompt + result.Text);
    }

    [Fact]
    public async Task Logits_are_full_vocabulary_vectors_whose_argmax_is_the_generated_token()
    {
        var result = await Story.Value;

        Assert.Equal(44, result.Logits.Length);
        for (var i = 0; i < result.Logits.Length; i++)
        {
            var logits = result.Logits[i];
            Assert.Equal(512, logits.Length);
            Assert.All(logits, v => Assert.True(float.IsFinite(v)));
            Assert.Equal(result.Tokens[i], ArgMax(logits));
        }

        // Raw logits, not probabilities: they are not confined to [0, 1] and do not sum to 1.
        Assert.Contains(result.Logits[0], v => v < 0);
        Assert.Contains(result.Logits[0], v => v > 1);
    }

    [Fact]
    public async Task Only_the_first_k_positions_carry_logits()
    {
        var result = await LlamaCppReference.GenerateAsync(ModelPath, Prompt, tokens: null, n: 6, logits: 2, addBos: true);

        Assert.Equal(6, result.Tokens.Length);
        Assert.Equal(2, result.Logits.Length);
        var story = await Story.Value;
        Assert.Equal(story.Tokens[..6], result.Tokens);
        Assert.Equal(story.Logits[0], result.Logits[0]);
        Assert.Equal(story.Logits[1], result.Logits[1]);
    }

    [Fact]
    public async Task Token_ids_as_prompt_give_the_same_run_as_the_text()
    {
        var result = await LlamaCppReference.GenerateAsync(ModelPath, prompt: null, tokens: PromptWithBos, n: 10, logits: 1, addBos: false);

        var story = await Story.Value;
        Assert.Equal(PromptWithBos, result.PromptTokens);
        Assert.Equal(story.Tokens[..10], result.Tokens);
        Assert.Equal(story.Logits[0], result.Logits[0]);
    }

    [Fact]
    public async Task Tokenize_gives_llama_cpp_tokens_with_and_without_bos()
    {
        Assert.Equal(PromptWithBos, await LlamaCppReference.TokenizeAsync(ModelPath, Prompt, addBos: true));
        Assert.Equal(PromptWithBos[1..], await LlamaCppReference.TokenizeAsync(ModelPath, Prompt, addBos: false));
    }

    [Fact]
    public async Task A_missing_model_fails_with_the_scripts_stderr_in_the_message()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-model-{Guid.NewGuid():N}.gguf");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => LlamaCppReference.TokenizeAsync(missing, Prompt, addBos: false));

        Assert.Contains("exited with code 1", error.Message, StringComparison.Ordinal);
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.Contains("ENOENT", error.Message, StringComparison.Ordinal);
    }

    private static int ArgMax(float[] values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }
}
