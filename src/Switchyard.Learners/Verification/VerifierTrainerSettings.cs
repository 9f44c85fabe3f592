namespace Switchyard.Routing.Learners.Verification;

/// <summary>How <see cref="VerifierTrainer"/> fits a learned cascade verifier.</summary>
public sealed record VerifierTrainerSettings
{
    /// <summary>
    /// The L2 penalties λ tried by default (on standardised columns, per the mean log-loss; λ = 1/(C·n) in
    /// scikit-learn's terms): wide enough for the 18 answer features alone and for them joined with a 384-dimensional
    /// prompt embedding.
    /// </summary>
    public static readonly IReadOnlyList<double> DefaultL2 = [1e-4, 1e-3, 1e-2, 1e-1, 1, 10];

    /// <summary>
    /// The block weights tried on the standardised prompt-embedding columns, when there are any: a weight γ multiplies
    /// those columns, so their coefficients are penalised λ/γ² while the answer features keep λ. Chosen jointly with λ.
    /// </summary>
    public static readonly IReadOnlyList<double> DefaultEmbeddingWeights = [1, 0.3, 0.1];

    /// <summary>How far below the strong score the weak score may be and still count as good enough (default 0).</summary>
    public double Margin { get; init; }

    /// <summary>The penalties to choose from by inner cross-validation (lowest held-out log-loss; the larger on ties).</summary>
    public IReadOnlyList<double> L2 { get; init; } = DefaultL2;

    /// <summary>The block weights of the prompt-embedding columns to choose from (each in (0, 1]; ignored without an embedding).</summary>
    public IReadOnlyList<double> EmbeddingWeights { get; init; } = DefaultEmbeddingWeights;

    /// <summary>Folds of the inner cross-validation that chooses λ and gives the calibration predictions (2–20; fewer when there are fewer prompt groups).</summary>
    public int TuningFolds { get; init; } = 5;

    /// <summary>Seed of the inner fold assignment.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Gradient steps at most per logistic fit.</summary>
    public int Iterations { get; init; } = 500;

    /// <summary>Throws <see cref="ArgumentException"/> when a setting is out of range.</summary>
    public void Validate()
    {
        if (!(Margin >= 0) || !double.IsFinite(Margin))
        {
            throw new ArgumentException($"The margin must be a finite number ≥ 0, not {Margin}.", nameof(Margin));
        }

        if (L2 is null || L2.Count == 0 || L2.Any(v => !(v > 0) || !double.IsFinite(v)))
        {
            throw new ArgumentException("At least one penalty is needed, and every penalty must be a positive finite number.", nameof(L2));
        }

        if (EmbeddingWeights is null || EmbeddingWeights.Count == 0 || EmbeddingWeights.Any(v => !(v is > 0 and <= 1)))
        {
            throw new ArgumentException("At least one embedding weight is needed, and every one must be in (0, 1].", nameof(EmbeddingWeights));
        }

        if (TuningFolds is < 2 or > 20)
        {
            throw new ArgumentException($"The tuning folds must be from 2 to 20, not {TuningFolds}.", nameof(TuningFolds));
        }

        if (Iterations < 1)
        {
            throw new ArgumentException($"At least one iteration is needed, not {Iterations}.", nameof(Iterations));
        }
    }
}
