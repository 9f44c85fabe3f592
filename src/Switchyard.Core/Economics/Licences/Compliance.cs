using System.Globalization;

namespace Switchyard.Economics.Licences;

/// <summary>How a model will be used: what licences ask about.</summary>
/// <param name="MonthlyActiveUsers">Monthly active users of the product or service.</param>
/// <param name="Commercial">Whether the use is commercial.</param>
/// <param name="OfferedToThirdParties">Whether the model is served to others (which some licences count as distribution).</param>
/// <param name="OutputsTrainModels">Whether the model's outputs are used to train or improve other models.</param>
public sealed record Deployment(long MonthlyActiveUsers, bool Commercial, bool OfferedToThirdParties, bool OutputsTrainModels);

/// <summary>The verdict for one model.</summary>
public enum ComplianceVerdict
{
    /// <summary>The licence allows this deployment.</summary>
    Allowed,

    /// <summary>Allowed, with duties (attribution, an acceptable-use policy to enforce, a notice to ship).</summary>
    AllowedWithDuties,

    /// <summary>A clause forbids this deployment.</summary>
    NotAllowed,

    /// <summary>The model's licence is not in the catalog, or the deciding fact is unknown.</summary>
    Unknown,
}

/// <summary>A verdict with the clauses behind it.</summary>
/// <param name="Verdict">The verdict.</param>
/// <param name="Reasons">Why, each with the clause quoted and its source where the catalog has one.</param>
public sealed record ComplianceResult(ComplianceVerdict Verdict, IReadOnlyList<string> Reasons);

/// <summary>Checks a deployment against a licence entry: user caps, commercial use, training on outputs, and the duties that come with it.</summary>
public static class Compliance
{
    /// <summary>The verdict for <paramref name="entry"/> (null: unknown licence) under <paramref name="deployment"/>.</summary>
    public static ComplianceResult Evaluate(LicenceEntry? entry, Deployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        if (entry is null)
        {
            return new(ComplianceVerdict.Unknown, ["The model's licence is not in the catalog: check it yourself before deploying."]);
        }

        var refusals = new List<string>();
        var duties = new List<string>();
        var unknowns = new List<string>();
        if (entry.UserCapMonthlyActiveUsers is { } cap && deployment.MonthlyActiveUsers > cap)
        {
            refusals.Add($"{deployment.MonthlyActiveUsers.ToString("N0", CultureInfo.InvariantCulture)} monthly active users is over the licence's {cap.ToString("N0", CultureInfo.InvariantCulture)}: a separate licence from the vendor is needed." + Quote(entry.Clause("user_cap")));
        }

        if (deployment.Commercial && entry.CommercialUse == "no")
        {
            refusals.Add($"{entry.LicenceName} does not allow commercial use." + Quote(entry.Clause("grant_non_commercial_only") ?? entry.Clause("grant") ?? entry.Clause("licence")));
        }
        else if (deployment.Commercial && entry.CommercialUse == "unknown")
        {
            unknowns.Add("Whether commercial use is allowed is unknown.");
        }

        if (deployment.OutputsTrainModels)
        {
            var clause = entry.Clause("outputs_for_other_models") ?? entry.Clause("derivative_naming_and_outputs") ?? entry.Clause("outputs") ?? entry.Clause("no_competing_models");
            switch (entry.OutputsMayTrainOtherModels)
            {
                case "no":
                    refusals.Add("The licence does not allow using outputs to train other models." + Quote(clause));
                    break;
                case "yes_with_conditions":
                    duties.Add("Training other models on outputs comes with conditions." + Quote(clause));
                    break;
                case "unknown":
                    unknowns.Add("Whether outputs may train other models is unknown.");
                    break;
            }
        }

        if (entry.Attribution is { Length: > 0 } attribution && entry.OpennessLevel != "closed")
        {
            duties.Add("Attribution: " + attribution);
        }

        if (entry.UseRestrictions is { Length: > 0 } policy)
        {
            duties.Add("Use restrictions to enforce: " + policy + (entry.UseRestrictionsUrl is { } url ? $" ({url})" : ""));
        }

        if (refusals.Count > 0)
        {
            return new(ComplianceVerdict.NotAllowed, refusals);
        }

        if (unknowns.Count > 0)
        {
            return new(ComplianceVerdict.Unknown, [.. unknowns, .. duties]);
        }

        return duties.Count > 0 ? new(ComplianceVerdict.AllowedWithDuties, duties) : new(ComplianceVerdict.Allowed, [$"{entry.LicenceName} allows this deployment."]);
    }

    private static string Quote(LicenceClause? clause) => clause is null ? "" : $" \"{clause.Text}\" ({clause.Source})";
}
