namespace Switchyard.Routing.Learners;

/// <summary>How <see cref="LearnerSelection"/> cross-validates.</summary>
/// <param name="Folds">Outer folds (2–20); prompts of one group (same id or conversation) share a fold.</param>
/// <param name="Seed">Fold assignment seed.</param>
/// <param name="Margin">The weak model is good enough when its score ≥ the strong one's − Margin (as <c>TrainingSettings.Margin</c>).</param>
public sealed record LearnerSelectionSettings(int Folds = 5, int Seed = 1, double Margin = 0)
{
    /// <summary>Throws when a value is out of range.</summary>
    public void Validate()
    {
        if (Folds is < 2 or > 20)
        {
            throw new ArgumentOutOfRangeException(nameof(Folds), Folds, "folds must be between 2 and 20.");
        }

        if (!(Margin >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(Margin), Margin, "margin must not be negative.");
        }
    }
}
