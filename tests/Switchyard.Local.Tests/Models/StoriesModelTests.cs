using Switchyard.Local.Gguf;
using Switchyard.Local.Models;
using Switchyard.Local.Tests.Infrastructure;
using Switchyard.Local.Tests.Reference;

namespace Switchyard.Local.Tests.Models;

/// <summary>stories260K (a 260K-parameter llama trained on TinyStories) against real llama.cpp.</summary>
public sealed class StoriesModelTests
{
    private static readonly int[] Prompt = [1, 403, 407, 261, 378]; // <s> Once upon a time

    private static readonly Lazy<Task<LlamaCppResult>> Reference = new(() =>
        LlamaCppReference.GenerateAsync(TestPaths.Stories260K, prompt: null, tokens: Prompt, n: 44, logits: 44, addBos: false));

    [Fact]
    public void Load_reads_the_shape_tokenizer_and_name()
    {
        using var model = TransformerModel.Load(TestPaths.Stories260K);

        var hp = model.Hyperparameters;
        Assert.Equal("llama", hp.Architecture);
        Assert.Equal(64, hp.EmbeddingLength);
        Assert.Equal(5, hp.BlockCount);
        Assert.Equal(8, hp.HeadCount);
        Assert.Equal(4, hp.HeadCountKv);
        Assert.Equal(512, hp.VocabularySize);
        Assert.Equal(128, hp.ContextLength);
        Assert.False(hp.RopeNeoX);
        Assert.Null(model.ChatTemplate);
        Assert.Equal("stories260K", model.Name); // general.name is just "llama"

        Assert.Equal(Prompt, model.Tokenizer.Encode("Once upon a time", addSpecial: true, parseSpecial: false));
        Assert.True(model.WeightBytesPerToken > 0);
    }

    [Fact]
    public async Task Greedy_generation_matches_llama_cpp_token_for_token()
    {
        var reference = await Reference.Value;
        using var model = TransformerModel.Load(TestPaths.Stories260K);
        var session = model.CreateSession(128);

        var generated = Greedy(session, Prompt, reference.Tokens.Length, out _);

        Assert.Equal(reference.Tokens, generated);
    }

    [Fact]
    public async Task Logits_match_llama_cpp_at_every_step()
    {
        var reference = await Reference.Value;
        using var model = TransformerModel.Load(TestPaths.Stories260K);
        var session = model.CreateSession(128);

        Greedy(session, Prompt, reference.Tokens.Length, out var logits);

        for (int i = 0; i < reference.Logits.Length; i++)
        {
            AssertClose(reference.Logits[i], logits[i], 0.005f, $"step {i}");
        }
    }

    [Fact]
    public async Task Prompt_in_small_batches_gives_the_same_logits_as_one_batch()
    {
        using var model = TransformerModel.Load(TestPaths.Stories260K);
        int[] prompt = model.Tokenizer.Encode("Once upon a time, there was a little girl named Lily. She loved to play", true, false);
        var whole = new float[512];
        var split = new float[512];
        var tokenByToken = new float[512];

        model.CreateSession(128, batchSize: 64).Evaluate(prompt, whole);
        model.CreateSession(128, batchSize: 3).Evaluate(prompt, split);
        var session = model.CreateSession(128, batchSize: 64);
        foreach (int t in prompt)
        {
            session.Evaluate([t], tokenByToken);
        }

        AssertClose(whole, split, 1e-4f, "batch 3");
        AssertClose(whole, tokenByToken, 1e-4f, "token by token");
        Assert.Equal(prompt.Length, session.Position);
        Assert.Equal(prompt, session.Tokens.ToArray());
        await Task.CompletedTask;
    }

    [Fact]
    public void Rewind_then_continue_equals_a_fresh_session()
    {
        using var model = TransformerModel.Load(TestPaths.Stories260K);
        var session = model.CreateSession(128);
        var fresh = new float[512];
        var rewound = new float[512];

        session.Evaluate([1, 403, 407, 261, 378, 11, 12, 13], rewound);
        session.Rewind(3);
        session.Evaluate([261, 378], rewound);
        model.CreateSession(128).Evaluate(Prompt, fresh);

        Assert.Equal(fresh, rewound);
        Assert.Equal(5, session.Position);
    }

    [Fact]
    public void Bad_arguments_are_refused_with_clear_messages()
    {
        using var model = TransformerModel.Load(TestPaths.Stories260K);
        var session = model.CreateSession(16);
        var logits = new float[512];

        Assert.Equal(16, session.ContextLength);
        Assert.Contains("vocabulary", Assert.Throws<ArgumentException>(() => session.Evaluate([1, 9999], logits)).Message);
        Assert.Contains("context", Assert.Throws<ArgumentException>(() => session.Evaluate(new int[17], logits)).Message);
        Assert.Throws<ArgumentException>(() => session.Evaluate([], logits));
        Assert.Throws<ArgumentException>(() => session.Evaluate([1], new float[10]));
        Assert.Throws<ArgumentOutOfRangeException>(() => session.Rewind(1));
        Assert.Equal(128, model.CreateSession(100_000).ContextLength);
    }

    [Fact]
    public void A_file_that_is_not_a_model_fails_with_the_file_and_the_reason()
    {
        string dir = TestPaths.NewTempDirectory("not-a-model");
        string path = Path.Combine(dir, "vocab-only.gguf");
        new GgufWriter().Add("general.architecture", "llama").Write(path);

        var error = Assert.Throws<GgufFormatException>(() => TransformerModel.Load(path));

        Assert.Contains(path, error.Message);
    }

    [Fact]
    public async Task Sha256_is_the_file_hash()
    {
        using var model = TransformerModel.Load(TestPaths.Stories260K);

        string hash = await model.GetSha256Async();

        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(TestPaths.Stories260K))), hash);
        Assert.Same(model.GetSha256Async(), model.GetSha256Async());
    }

    internal static int[] Greedy(InferenceSession session, int[] prompt, int n, out float[][] logits)
    {
        var tokens = new int[n];
        logits = new float[n][];
        var current = new float[session.VocabularySize];
        session.Evaluate(prompt, current);
        for (int i = 0; i < n; i++)
        {
            logits[i] = (float[])current.Clone();
            tokens[i] = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(current);
            if (i + 1 < n)
            {
                session.Evaluate([tokens[i]], current);
            }
        }

        return tokens;
    }

    /// <summary>Every element within <paramref name="fraction"/> of the reference's spread (max - min).</summary>
    internal static void AssertClose(float[] expected, float[] actual, float fraction, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        float spread = expected.Max() - expected.Min();
        float worst = 0;
        int at = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            float d = MathF.Abs(expected[i] - actual[i]);
            if (d > worst)
            {
                worst = d;
                at = i;
            }
        }

        Assert.True(worst <= fraction * spread, $"{what}: logit {at} is {actual[at]}, reference {expected[at]} (difference {worst}, allowed {fraction * spread}).");
    }
}
