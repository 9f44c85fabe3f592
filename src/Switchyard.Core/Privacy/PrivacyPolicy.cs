using Switchyard.Configuration;

namespace Switchyard.Privacy;

/// <summary>
/// Maps the data classes found in a request to the zones allowed to serve it. Each class takes the first rule that
/// covers it, or the inside zones when none does (fail closed); a request with several classes may only go where all
/// of them may. Thread-safe.
/// </summary>
public sealed class PrivacyPolicy
{
    /// <summary>The rule name recorded when a class fell back to the inside zones.</summary>
    public const string DefaultRule = "default";

    /// <summary>Creates the policy (<see cref="From"/> builds one from configuration).</summary>
    /// <param name="insideZones">Zones inside the boundary: where a class no rule covers may go.</param>
    /// <param name="rules">The rules, in the order they are tried; the first that covers a class decides its zones.</param>
    public PrivacyPolicy(IReadOnlyList<string> insideZones, IReadOnlyList<PrivacyRule> rules)
    {
        ArgumentNullException.ThrowIfNull(insideZones);
        ArgumentNullException.ThrowIfNull(rules);
        InsideZones = insideZones;
        Rules = rules;
    }

    /// <summary>Zones inside the boundary.</summary>
    public IReadOnlyList<string> InsideZones { get; }

    /// <summary>The rules, in the order they are tried.</summary>
    public IReadOnlyList<PrivacyRule> Rules { get; }

    /// <summary>The policy a validated configuration describes.</summary>
    public static PrivacyPolicy From(PrivacyConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var rules = config.Rules.Select((r, i) => new PrivacyRule(string.IsNullOrWhiteSpace(r.Name) ? $"rule-{i + 1}" : r.Name, [.. r.Classes], [.. r.Zones]));
        return new PrivacyPolicy([.. config.EffectiveInsideZones], [.. rules]);
    }

    /// <summary>
    /// Decides for a request carrying <paramref name="classes"/> (data class → findings), of which
    /// <paramref name="declared"/> cannot be pseudonymised (declared by the caller rather than detected, or found where no
    /// placeholder can replace them: a message name, a tool definition, a value split across messages, unreadable content).
    /// </summary>
    public PrivacyDecision Decide(IReadOnlyDictionary<string, int> classes, IReadOnlyCollection<string>? declared = null)
    {
        ArgumentNullException.ThrowIfNull(classes);
        if (classes.Count == 0)
        {
            return PrivacyDecision.Unrestricted;
        }

        var decision = DecideAll(classes);
        if (declared is not { Count: > 0 })
        {
            return decision with { ZonesWithPseudonyms = null };
        }

        var onlyDeclared = classes.Where(c => declared.Contains(c.Key)).ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
        return decision with { ZonesWithPseudonyms = onlyDeclared.Count == 0 ? null : DecideAll(onlyDeclared).AllowedZones };
    }

    private PrivacyDecision DecideAll(IReadOnlyDictionary<string, int> classes)
    {
        HashSet<string>? allowed = null;
        var used = new List<string>();
        foreach (var dataClass in classes.Keys.Order(StringComparer.Ordinal))
        {
            var rule = Rules.FirstOrDefault(r => r.Covers(dataClass));
            var zones = rule?.Zones ?? InsideZones;
            var name = rule?.Name ?? DefaultRule;
            if (!used.Contains(name))
            {
                used.Add(name);
            }

            if (allowed is null)
            {
                allowed = new HashSet<string>(zones, StringComparer.OrdinalIgnoreCase);
            }
            else
            {
                allowed.IntersectWith(zones);
            }
        }

        return new PrivacyDecision(classes, [.. allowed!.Order(StringComparer.Ordinal)], used);
    }
}
