namespace Switchyard.Routing.Difficulty;

/// <summary>One example's features as parallel index and value arrays (indices may repeat; values add).</summary>
/// <param name="Indices">Feature indices.</param>
/// <param name="Values">Feature values, same length as <paramref name="Indices"/>.</param>
public sealed record SparseVector(int[] Indices, float[] Values)
{
    /// <summary>Extracts the features of one conversation.</summary>
    public static SparseVector From(ConversationFeaturizer featurizer, IReadOnlyList<Microsoft.Extensions.AI.ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(featurizer);
        var sink = new CollectingSink([], []);
        featurizer.Extract(messages, ref sink);
        return new SparseVector([.. sink.Indices], [.. sink.Values]);
    }

    private readonly struct CollectingSink(List<int> indices, List<float> values) : IFeatureSink
    {
        public List<int> Indices { get; } = indices;

        public List<float> Values { get; } = values;

        public void Add(int index, float value)
        {
            Indices.Add(index);
            Values.Add(value);
        }
    }
}
