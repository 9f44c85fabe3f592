namespace Switchyard.Routing.Difficulty;

/// <summary>
/// Held-out predictions for a route of N candidates, cheapest first: for every calibration prompt, each cheaper
/// candidate's P(good enough against the strongest) as predicted by a model that did not see the prompt, every
/// candidate's quality and what each candidate's answer cost. One threshold shared by the cheaper candidates is
/// calibrated on it (<see cref="RouteThresholdCalibrator"/>).
/// </summary>
/// <param name="PGood">Per cheaper candidate (N − 1 rows), per prompt: predicted P(good enough), in [0, 1].</param>
/// <param name="Scores">Per candidate (N rows), per prompt: quality in [0, 1].</param>
/// <param name="Costs">Per candidate (N rows), per prompt: cost of its answer (dollars, or any unit shared by all rows), ≥ 0.</param>
public sealed record RouteCalibrationSet(double[][] PGood, double[][] Scores, double[][] Costs)
{
    /// <summary>Number of prompts.</summary>
    public int Count => Scores.Length > 0 ? Scores[0].Length : 0;

    /// <summary>Number of candidates (the strongest last).</summary>
    public int Models => Scores.Length;

    /// <summary>The two-candidate set of a <see cref="CalibrationSet"/>, with the strong answer costing <paramref name="strongCost"/> and the weak one nothing.</summary>
    public static RouteCalibrationSet FromPair(CalibrationSet pair, double strongCost = 1)
    {
        ArgumentNullException.ThrowIfNull(pair);
        return new([pair.PGood], [pair.Weak, pair.Strong], [new double[pair.Count], Enumerable.Repeat(strongCost, pair.Count).ToArray()]);
    }

    /// <summary>Throws <see cref="FormatException"/> unless the shape is consistent and every value in range.</summary>
    public void Validate()
    {
        if (Scores is not { Length: >= 2 } || PGood is null || Costs is null)
        {
            throw new FormatException("calibration: at least two candidates' scores are needed.");
        }

        var n = Scores[0]?.Length ?? 0;
        if (n == 0 || PGood.Length != Scores.Length - 1 || Costs.Length != Scores.Length)
        {
            throw new FormatException($"calibration: {Scores.Length} candidates need {Scores.Length - 1} p_good rows and {Scores.Length} cost rows over the same non-empty prompts.");
        }

        foreach (var row in PGood.Concat(Scores))
        {
            if (row is null || row.Length != n || row.Any(v => !(v is >= 0 and <= 1)))
            {
                throw new FormatException($"calibration: every p_good and score row must hold {n} values within [0, 1].");
            }
        }

        foreach (var row in Costs)
        {
            if (row is null || row.Length != n || row.Any(v => !(v >= 0) || double.IsInfinity(v)))
            {
                throw new FormatException($"calibration: every cost row must hold {n} finite values ≥ 0.");
            }
        }
    }
}
