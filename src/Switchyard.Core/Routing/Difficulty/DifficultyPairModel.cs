namespace Switchyard.Routing.Difficulty;

/// <summary>A trained difficulty model for one (cheaper, stronger) pair of models, with its calibration set.</summary>
/// <param name="Weak">The cheaper model's name in the outcome data.</param>
/// <param name="Strong">The stronger model's name.</param>
/// <param name="Model">P(weak good enough) from conversation features.</param>
/// <param name="Calibration">Out-of-fold predictions on the training prompts, for calibrating thresholds.</param>
public sealed record DifficultyPairModel(string Weak, string Strong, LogisticModel Model, CalibrationSet Calibration)
{
    /// <summary>Training prompts.</summary>
    public int Examples { get; init; }

    /// <summary>Share of training prompts on which the weak model was good enough.</summary>
    public double GoodEnoughRate { get; init; }
}
