using Microsoft.Extensions.AI;
using Switchyard.Routing.Difficulty;

namespace Switchyard.Tests.Routing.Difficulty;

public sealed class ConversationFeaturizerTests
{
    private static readonly ConversationFeaturizer Featurizer = new(new FeaturizerSettings(HashBits: 16));

    private static SparseVector Extract(params ChatMessage[] messages) => SparseVector.From(Featurizer, messages);

    private static SparseVector Extract(string user) => Extract(new ChatMessage(ChatRole.User, user));

    [Fact]
    public void SameConversation_SameFeatures_AllIndicesInRange()
    {
        var a = Extract("Compute 2+2 and explain (A) four (B) five");
        var b = Extract("Compute 2+2 and explain (A) four (B) five");
        Assert.Equal(a.Indices, b.Indices);
        Assert.Equal(a.Values, b.Values);
        Assert.All(a.Indices, i => Assert.InRange(i, 0, Featurizer.Dimension - 1));
        Assert.Equal(ConversationFeaturizer.DenseCount + (1 << 16), Featurizer.Dimension);
    }

    [Fact]
    public void NumbersCountByShape_NotValue()
    {
        var a = Extract("What is 12 times 34?");
        var b = Extract("What is 56 times 78?");
        var c = Extract("What is 5 times 7?");
        Assert.Equal(a.Indices, b.Indices);
        Assert.NotEqual(a.Indices, c.Indices);
    }

    [Fact]
    public void ShapeFeatures_SeeOptionsCodeAndTurns()
    {
        static float Dense(SparseVector v, int index) => v.Indices.Select((i, k) => (i, k)).Where(p => p.i == index).Sum(p => v.Values[p.k]);

        var choice = Extract("Which is a prime?\nA. 4\nB. 6\nC. 7\nD. 9\nAnswer:");
        var plain = Extract("Which number is a prime, four or seven?");
        Assert.Equal(1f, Dense(choice, 8));
        Assert.Equal(0f, Dense(plain, 8));

        var code = Extract("Fix this:\n```python\ndef f(x): return x[0]\n```");
        Assert.Equal(1f, Dense(code, 14));
        Assert.Equal(0f, Dense(plain, 14));

        var conversation = Extract(new ChatMessage(ChatRole.System, "Be terse."), new ChatMessage(ChatRole.User, "hi"), new ChatMessage(ChatRole.Assistant, "hello"), new ChatMessage(ChatRole.User, "again"));
        Assert.Equal(1f, Dense(conversation, 3));
        Assert.Equal(2 / 8f, Dense(conversation, 12));
    }

    [Fact]
    public void EarlierTurnsAndSystemPrompt_UseTheirOwnNamespaces()
    {
        var asUser = Extract(new ChatMessage(ChatRole.User, "integral"));
        var asSystem = Extract(new ChatMessage(ChatRole.System, "integral"), new ChatMessage(ChatRole.User, "x"));
        var hashedUser = asUser.Indices.Where(i => i >= ConversationFeaturizer.DenseCount).ToHashSet();
        var hashedSystem = asSystem.Indices.Where(i => i >= ConversationFeaturizer.DenseCount).ToHashSet();
        Assert.NotEmpty(hashedUser);
        Assert.NotEqual(hashedUser, hashedSystem);
    }

    [Fact]
    public void HugePrompt_CostIsBounded()
    {
        var small = Extract(string.Join(' ', Enumerable.Repeat("word", 1000)));
        var huge = Extract(string.Join(' ', Enumerable.Repeat("word", 200_000)));

        // Only the first and last MaxChars characters are read for n-grams: a 1 MB prompt yields no more features than 4 KiB.
        Assert.True(huge.Indices.Length <= small.Indices.Length + 16, $"{huge.Indices.Length} features for a 1 MB prompt");
    }

    [Fact]
    public void Settings_OutOfRange_AreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConversationFeaturizer(new FeaturizerSettings(HashBits: 30)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConversationFeaturizer(new FeaturizerSettings(CharNGram: 2)));
    }
}
