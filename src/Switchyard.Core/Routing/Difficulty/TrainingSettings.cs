using System.Text.Json.Serialization;

namespace Switchyard.Routing.Difficulty;

/// <summary>How a difficulty model is trained.</summary>
/// <param name="Epochs">Passes over the training examples.</param>
/// <param name="LearningRate">AdaGrad's base step.</param>
/// <param name="L2">L2 penalty per example on the weights it touches.</param>
/// <param name="Folds">Out-of-fold predictions from this many folds calibrate the threshold (2–20).</param>
/// <param name="Margin">The weak answer counts as good enough when its score ≥ the strong one's − Margin.</param>
/// <param name="Seed">Shuffling and fold assignment seed.</param>
public sealed record TrainingSettings(
    [property: JsonPropertyName("epochs")] int Epochs = 3,
    [property: JsonPropertyName("learning_rate")] double LearningRate = 0.02,
    [property: JsonPropertyName("l2")] double L2 = 1e-5,
    [property: JsonPropertyName("folds")] int Folds = 5,
    [property: JsonPropertyName("margin")] double Margin = 0,
    [property: JsonPropertyName("seed")] int Seed = 1)
{
    /// <summary>Throws when a value is out of range.</summary>
    public void Validate()
    {
        if (Epochs is < 1 or > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "epochs must be between 1 and 1000.");
        }

        if (!(LearningRate > 0) || !(L2 >= 0) || !(Margin >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(LearningRate), "learning_rate must be positive, l2 and margin non-negative.");
        }

        if (Folds is < 2 or > 20)
        {
            throw new ArgumentOutOfRangeException(nameof(Folds), Folds, "folds must be between 2 and 20.");
        }
    }
}
