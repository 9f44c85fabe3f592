namespace Switchyard.Local.Sampling;

/// <summary>How the next token is chosen from the logits. A temperature of 0 is greedy (argmax).</summary>
public sealed record SamplingOptions
{
    /// <summary>Greedy decoding: always the most likely token.</summary>
    public static readonly SamplingOptions Greedy = new() { Temperature = 0 };

    /// <summary>Softmax temperature; 0 or less is greedy. Default 0.8 (llama.cpp's default).</summary>
    public float Temperature { get; init; } = 0.8f;

    /// <summary>Keep only the K most likely tokens; 0 keeps all. Default 40.</summary>
    public int TopK { get; init; } = 40;

    /// <summary>Keep the smallest set of tokens whose probabilities sum to at least P; 1 disables. Default 0.95.</summary>
    public float TopP { get; init; } = 0.95f;

    /// <summary>Drop tokens less likely than MinP × the most likely one; 0 disables. Default 0.05.</summary>
    public float MinP { get; init; } = 0.05f;

    /// <summary>Penalty for tokens seen in the last <see cref="RepetitionWindow"/> tokens; 1 disables. Default 1.</summary>
    public float RepetitionPenalty { get; init; } = 1f;

    /// <summary>
    /// Subtracted from a token's logit once per time it occurs in the last <see cref="RepetitionWindow"/> tokens
    /// (OpenAI's <c>frequency_penalty</c>, -2 to 2); 0 disables. Default 0.
    /// </summary>
    public float FrequencyPenalty { get; init; }

    /// <summary>
    /// Subtracted once from the logit of every token that occurs in the last <see cref="RepetitionWindow"/> tokens
    /// (OpenAI's <c>presence_penalty</c>, -2 to 2); 0 disables. Default 0.
    /// </summary>
    public float PresencePenalty { get; init; }

    /// <summary>How many recent tokens the repetition, frequency and presence penalties look at. Default 64.</summary>
    public int RepetitionWindow { get; init; } = 64;

    /// <summary>The random seed; the same seed, prompt and options give the same output. Null draws one.</summary>
    public int? Seed { get; init; }

    /// <summary>Checks the values, naming the first one out of range.</summary>
    public void Validate()
    {
        if (!float.IsFinite(Temperature) || Temperature < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "temperature must be 0 or more.");
        }

        if (TopK < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(TopK), TopK, "top_k must be 0 or more.");
        }

        if (!(TopP is > 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(TopP), TopP, "top_p must be in (0, 1].");
        }

        if (!(MinP is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(MinP), MinP, "min_p must be in [0, 1].");
        }

        if (!float.IsFinite(RepetitionPenalty) || RepetitionPenalty <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(RepetitionPenalty), RepetitionPenalty, "repetition_penalty must be above 0.");
        }

        if (!(FrequencyPenalty is >= -2 and <= 2))
        {
            throw new ArgumentOutOfRangeException(nameof(FrequencyPenalty), FrequencyPenalty, "frequency_penalty must be in [-2, 2].");
        }

        if (!(PresencePenalty is >= -2 and <= 2))
        {
            throw new ArgumentOutOfRangeException(nameof(PresencePenalty), PresencePenalty, "presence_penalty must be in [-2, 2].");
        }

        if (RepetitionWindow < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(RepetitionWindow), RepetitionWindow, "the repetition window must be 0 or more.");
        }
    }
}
