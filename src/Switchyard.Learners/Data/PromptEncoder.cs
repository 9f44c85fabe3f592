using Microsoft.Extensions.AI;
using Switchyard.Embeddings;
using Switchyard.Routing.Difficulty;

namespace Switchyard.Routing.Learners;

/// <summary>
/// Turns conversations into <see cref="PromptFeatures"/>: the embedding of the last user message (by the given
/// <see cref="ITextEmbedder"/>), the dense text-shape features of Core's <see cref="ConversationFeaturizer"/> and the
/// last user message's length. Thread-safe when the embedder is.
/// </summary>
/// <remarks>
/// Only the last user message is embedded (what single-turn benchmarks call the prompt); all-MiniLM-L6-v2 reads its
/// first 256 tokens. The shape features see the whole conversation, as they do for the linear difficulty router.
/// </remarks>
public sealed class PromptEncoder
{
    // Only indices below DenseCount are kept, so the hashed part is made as cheap as the featurizer allows; the dense
    // features depend on MaxChars only, which stays at the default the linear router uses.
    private static readonly ConversationFeaturizer ShapeFeaturizer = new(new FeaturizerSettings(HashBits: 10, WordBigrams: false, CharNGram: 0));

    /// <summary>Creates an encoder; with no embedder it produces empty embeddings (enough for the length baseline).</summary>
    public PromptEncoder(ITextEmbedder? embedder)
    {
        Embedder = embedder;
    }

    /// <summary>The embedder, or null.</summary>
    public ITextEmbedder? Embedder { get; }

    /// <summary>Length of the embeddings this encoder produces (0 without an embedder).</summary>
    public int EmbeddingDimensions => Embedder?.Dimensions ?? 0;

    /// <summary>The text that is embedded: the last user message's text, or empty when there is none.</summary>
    public static string TextOf(IReadOnlyList<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        for (var i = messages.Count - 1; i >= 0; i--)
        {
            if (messages[i].Role == ChatRole.User)
            {
                return messages[i].Text;
            }
        }

        return string.Empty;
    }

    /// <summary>The <see cref="ConversationFeaturizer.DenseCount"/> text-shape features of a conversation.</summary>
    public static float[] ShapeOf(IReadOnlyList<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var sink = new DenseSink(new float[ConversationFeaturizer.DenseCount]);
        ShapeFeaturizer.Extract(messages, ref sink);
        return sink.Values;
    }

    /// <summary>Encodes one conversation; <paramref name="embed"/> false skips the embedding (it is then empty).</summary>
    public PromptFeatures Encode(IReadOnlyList<ChatMessage> messages, bool embed = true)
    {
        var text = TextOf(messages);
        var embedding = embed && Embedder is not null ? Embedder.Embed(text) : [];
        return new PromptFeatures(embedding, ShapeOf(messages), text.Length);
    }

    /// <summary>Encodes several conversations, embedding their texts in one batch call.</summary>
    public IReadOnlyList<PromptFeatures> EncodeMany(IReadOnlyList<IReadOnlyList<ChatMessage>> conversations, bool embed = true)
    {
        ArgumentNullException.ThrowIfNull(conversations);
        var texts = new string[conversations.Count];
        for (var i = 0; i < texts.Length; i++)
        {
            texts[i] = TextOf(conversations[i]);
        }

        var embeddings = embed && Embedder is not null && texts.Length > 0 ? Embedder.Embed(texts) : null;
        var result = new PromptFeatures[texts.Length];
        for (var i = 0; i < texts.Length; i++)
        {
            result[i] = new PromptFeatures(embeddings?[i] ?? [], ShapeOf(conversations[i]), texts[i].Length);
        }

        return result;
    }

    private readonly struct DenseSink(float[] values) : IFeatureSink
    {
        public float[] Values { get; } = values;

        public void Add(int index, float value)
        {
            if (index < Values.Length)
            {
                Values[index] += value;
            }
        }
    }
}
