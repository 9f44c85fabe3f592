using System.Text.Json.Serialization;

namespace Switchyard.Routing.Difficulty;

/// <summary>What <see cref="ConversationFeaturizer"/> extracts; saved with a trained router so serving extracts the same.</summary>
/// <param name="HashBits">Hashed n-gram features go into 2^HashBits buckets (10–24).</param>
/// <param name="WordBigrams">Whether word pairs are features besides single words.</param>
/// <param name="CharNGram">Length of character n-grams of the last user message (0 turns them off; 3–6 otherwise).</param>
/// <param name="MaxChars">Only the first (and last) this many characters of each text are read for n-grams, which bounds the cost per request; length features still see everything.</param>
public sealed record FeaturizerSettings(
    [property: JsonPropertyName("hash_bits")] int HashBits = 18,
    [property: JsonPropertyName("word_bigrams")] bool WordBigrams = true,
    [property: JsonPropertyName("char_ngram")] int CharNGram = 4,
    [property: JsonPropertyName("max_chars")] int MaxChars = 4096)
{
    /// <summary>Throws when a value is out of range.</summary>
    public void Validate()
    {
        if (HashBits is < 10 or > 24)
        {
            throw new ArgumentOutOfRangeException(nameof(HashBits), HashBits, "hash_bits must be between 10 and 24.");
        }

        if (CharNGram != 0 && CharNGram is < 3 or > 6)
        {
            throw new ArgumentOutOfRangeException(nameof(CharNGram), CharNGram, "char_ngram must be 0 (off) or between 3 and 6.");
        }

        if (MaxChars < 64)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxChars), MaxChars, "max_chars must be at least 64.");
        }
    }
}
