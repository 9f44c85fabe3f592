namespace Switchyard.Routing.Difficulty;

/// <summary>Receives the features <see cref="ConversationFeaturizer"/> extracts, one (index, value) pair at a time.</summary>
/// <remarks>Implemented by structs so extraction is allocation-free and the calls inline; an index may repeat (values add).</remarks>
public interface IFeatureSink
{
    /// <summary>Adds <paramref name="value"/> to feature <paramref name="index"/>.</summary>
    void Add(int index, float value);
}
