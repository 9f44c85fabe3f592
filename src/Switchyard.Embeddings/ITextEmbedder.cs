namespace Switchyard.Embeddings;

/// <summary>Turns text into a fixed-size sentence embedding (unit length, so a dot product is the cosine similarity).</summary>
public interface ITextEmbedder
{
    /// <summary>Length of every embedding this embedder returns.</summary>
    int Dimensions { get; }

    /// <summary>Embeds one text. The caller owns the returned array.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    float[] Embed(string text);

    /// <summary>
    /// Embeds several texts; element <c>i</c> of the result is the embedding of <c>texts[i]</c> (as
    /// <see cref="Embed(string)"/> would return it, up to float rounding). The caller owns the returned arrays.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="texts"/> or one of its elements is null.</exception>
    IReadOnlyList<float[]> Embed(IReadOnlyList<string> texts);
}
