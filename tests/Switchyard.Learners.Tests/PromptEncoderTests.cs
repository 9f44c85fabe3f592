using Microsoft.Extensions.AI;
using Switchyard.Routing.Difficulty;
using Switchyard.Routing.Learners;

namespace Switchyard.Learners.Tests;

public sealed class PromptEncoderTests
{
    private static readonly List<ChatMessage> Conversation =
    [
        new(ChatRole.System, "You are a careful tutor."),
        new(ChatRole.User, "What is 12 * 7?"),
        new(ChatRole.Assistant, "84."),
        new(ChatRole.User, "Now solve x^2 - 5x + 6 = 0 and explain:\nA) x = 2, 3\nB) x = -2, -3"),
    ];

    [Fact]
    public void Shape_features_are_those_of_the_linear_routers_default_featurizer()
    {
        var sparse = SparseVector.From(new ConversationFeaturizer(new FeaturizerSettings()), Conversation);
        var expected = new float[ConversationFeaturizer.DenseCount];
        for (var i = 0; i < sparse.Indices.Length; i++)
        {
            if (sparse.Indices[i] < expected.Length)
            {
                expected[sparse.Indices[i]] += sparse.Values[i];
            }
        }

        Assert.Equal(expected, PromptEncoder.ShapeOf(Conversation));
    }

    [Fact]
    public void The_last_user_message_is_embedded_and_measured()
    {
        var features = new PromptEncoder(null).Encode(Conversation);

        Assert.Equal(Conversation[3].Text, PromptEncoder.TextOf(Conversation));
        Assert.Equal(Conversation[3].Text.Length, features.Length);
        Assert.Empty(features.Embedding);
        Assert.Equal(string.Empty, PromptEncoder.TextOf([new ChatMessage(ChatRole.System, "only a system prompt")]));
    }
}
