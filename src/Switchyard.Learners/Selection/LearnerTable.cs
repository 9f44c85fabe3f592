using System.Globalization;
using System.Text;

namespace Switchyard.Routing.Learners;

/// <summary>Formats a <see cref="LearnerSelectionResult"/> as a plain-text table.</summary>
public static class LearnerTable
{
    /// <summary>The table, one learner per line, then the reference routers and the choice.</summary>
    public static string Format(LearnerSelectionResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{result.Prompts} prompts, weak {result.Weak}, strong {result.Strong}, {result.Folds}-fold grouped cross-validation").AppendLine();
        sb.Append(CultureInfo.InvariantCulture, $"{"learner",-10} {"APGR",6} {"CPT50",6} {"AIQ",6} {"fold APGR",13} {"Brier",6}  fitted").AppendLine();
        foreach (var row in result.Table)
        {
            var mark = row.Learner == result.Chosen ? "*" : " ";
            sb.Append(CultureInfo.InvariantCulture,
                $"{mark}{row.Learner,-9} {row.Apgr,6:0.000} {row.Cpt50,6:0.000} {row.Aiq,6:0.000} {row.FoldApgrMean,6:0.000}±{row.FoldApgrSd,-6:0.000} {row.Brier,6:0.000}  {Fitted(row.Fitted)}").AppendLine();
        }

        sb.Append(CultureInfo.InvariantCulture, $" {"random",-9} {result.RandomApgr,6:0.000}").AppendLine();
        sb.Append(CultureInfo.InvariantCulture, $" {"oracle",-9} {result.OracleApgr,6:0.000}").AppendLine();
        sb.Append("chosen: ").Append(result.Chosen).Append(" (").Append(result.Reason).Append(')').AppendLine();
        return sb.ToString();
    }

    /// <summary>What the folds' fits chose: one description when they agree, else each with its number of folds.</summary>
    private static string Fitted(IReadOnlyList<string> folds)
    {
        var groups = folds.GroupBy(f => f, StringComparer.Ordinal).ToList();
        return groups.Count == 1
            ? groups[0].Key
            : string.Join("; ", groups.OrderByDescending(g => g.Count()).Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} ({g.Count()}/{folds.Count})")));
    }
}
