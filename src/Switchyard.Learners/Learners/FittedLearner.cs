using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace Switchyard.Routing.Learners;

/// <summary>
/// A fitted learner: predicts, for the features of one conversation, a value in [0, 1] for each of its
/// <see cref="Targets"/>. Immutable and safe to call concurrently. Saved and loaded with <see cref="FittedLearnerJson"/>.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(LengthBaselineModel), LengthBaselineModel.KindName)]
[JsonDerivedType(typeof(KnnModel), KnnModel.KindName)]
[JsonDerivedType(typeof(ClusterProfileModel), ClusterProfileModel.KindName)]
[JsonDerivedType(typeof(EmbeddingLogisticModel), EmbeddingLogisticModel.KindName)]
public abstract class FittedLearner
{
    private protected FittedLearner(IReadOnlyList<LearnerTarget> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        Targets = targets;
    }

    /// <summary>What it predicts, in output order.</summary>
    [JsonPropertyName("targets")]
    [JsonPropertyOrder(-1)]
    public IReadOnlyList<LearnerTarget> Targets { get; }

    /// <summary>The embedding length it reads (0 when it reads no embedding).</summary>
    [JsonIgnore]
    public abstract int EmbeddingDimensions { get; }

    /// <summary>A one-line account of what was fitted (e.g. the hyperparameters cross-validation chose).</summary>
    [JsonIgnore]
    public abstract string Description { get; }

    /// <summary>The output index of <paramref name="target"/>, or −1.</summary>
    public int IndexOf(LearnerTarget target)
    {
        for (var t = 0; t < Targets.Count; t++)
        {
            if (Targets[t] == target)
            {
                return t;
            }
        }

        return -1;
    }

    /// <summary>Every target's prediction, in <see cref="Targets"/> order.</summary>
    public double[] Predict(PromptFeatures features)
    {
        var result = new double[Targets.Count];
        Predict(features, result);
        return result;
    }

    /// <summary>Every target's prediction into <paramref name="destination"/> (at least <see cref="Targets"/>.Count long), each in [0, 1].</summary>
    public void Predict(PromptFeatures features, Span<double> destination)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (destination.Length < Targets.Count)
        {
            throw new ArgumentException($"The destination holds {destination.Length} values; {Targets.Count} are predicted.", nameof(destination));
        }

        if (EmbeddingDimensions > 0 && features.Embedding.Length != EmbeddingDimensions)
        {
            throw new ArgumentException($"The learner reads {EmbeddingDimensions}-dimensional embeddings; got {features.Embedding.Length}.", nameof(features));
        }

        PredictCore(features, destination[..Targets.Count]);
        for (var t = 0; t < Targets.Count; t++)
        {
            destination[t] = double.IsNaN(destination[t]) ? 0.5 : Math.Clamp(destination[t], 0, 1);
        }
    }

    /// <summary>Throws <see cref="FormatException"/> when the state is inconsistent (used after loading).</summary>
    public void Validate()
    {
        if (Targets is not { Count: > 0 } || Targets.Any(t => t is null || string.IsNullOrEmpty(t.Model)))
        {
            throw new FormatException("'targets' is missing, empty or has a target without a model.");
        }

        ValidateCore();
    }

    /// <summary>The predictions, unclamped.</summary>
    private protected abstract void PredictCore(PromptFeatures features, Span<double> destination);

    /// <summary>Checks the derived state.</summary>
    private protected abstract void ValidateCore();

    /// <summary>Throws a <see cref="FormatException"/> unless <paramref name="condition"/> holds.</summary>
    private protected static void Require([DoesNotReturnIf(false)] bool condition, string problem)
    {
        if (!condition)
        {
            throw new FormatException(problem);
        }
    }
}
