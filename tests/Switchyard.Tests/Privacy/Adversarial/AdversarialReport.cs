using System.Globalization;
using System.Text;

namespace Switchyard.Tests.Privacy.Adversarial;

/// <summary>What happened to one adversarial case at the gateway.</summary>
/// <param name="Case">The case.</param>
/// <param name="Status">The HTTP status the client got.</param>
/// <param name="Error">The response body when the status was not 200.</param>
/// <param name="Leaked">Whether the hosted upstream received a body the value can be recovered from.</param>
/// <param name="ServedBy">The upstream models that received the request, in order ("" when none did).</param>
/// <param name="RequestId">The gateway's <c>x-request-id</c>.</param>
internal sealed record CaseOutcome(AdversarialCase Case, int Status, string? Error, bool Leaked, string ServedBy, string RequestId);

/// <summary>Text tables over adversarial outcomes: what leaked, grouped by class, obfuscation and position.</summary>
internal static class AdversarialReport
{
    /// <summary>Case counts per class, per obfuscation × class and per position × class.</summary>
    public static string Counts(IReadOnlyList<AdversarialCase> cases)
    {
        var sb = new StringBuilder();
        sb.Append(Inv($"{cases.Count} cases\n\nper class:\n"));
        foreach (string dataClass in AdversarialCorpus.DataClasses)
        {
            sb.Append(Inv($"  {dataClass,-14} {cases.Count(c => c.DataClass == dataClass),5}\n"));
        }

        sb.Append("\nper obfuscation × class:\n");
        sb.Append(Matrix(AdversarialCorpus.Obfuscations, c => c.Obfuscation, cases, g => g.Count == 0 ? "-" : g.Count.ToString(CultureInfo.InvariantCulture)));
        sb.Append("\nper position × class:\n");
        sb.Append(Matrix(AdversarialCorpus.Positions, c => c.Position, cases, g => g.Count == 0 ? "-" : g.Count.ToString(CultureInfo.InvariantCulture)));
        return sb.ToString();
    }

    /// <summary>The leak tables: totals, obfuscation × class and position × class (leaked/total), then each leaking class × obfuscation with the positions that leaked.</summary>
    public static string Leaks(IReadOnlyList<CaseOutcome> outcomes)
    {
        var cases = outcomes.Select(o => o.Case).ToList();
        var leaked = outcomes.Where(o => o.Leaked).Select(o => o.Case).ToHashSet(ReferenceEqualityComparer.Instance);
        string Cell(List<AdversarialCase> group) =>
            group.Count == 0 ? "-" : Inv($"{group.Count(leaked.Contains)}/{group.Count}");

        var sb = new StringBuilder();
        sb.Append(Inv($"{leaked.Count} of {cases.Count} values ({100.0 * leaked.Count / Math.Max(1, cases.Count):0.0} %) could be recovered from what the hosted upstream received.\n"));
        sb.Append("\nleaked/total per class:\n");
        foreach (string dataClass in AdversarialCorpus.DataClasses)
        {
            sb.Append(Inv($"  {dataClass,-14} {Cell([.. cases.Where(c => c.DataClass == dataClass)]),9}\n"));
        }

        sb.Append("\nleaked/total per obfuscation × class:\n");
        sb.Append(Matrix(AdversarialCorpus.Obfuscations, c => c.Obfuscation, cases, Cell));
        sb.Append("\nleaked/total per position × class:\n");
        sb.Append(Matrix(AdversarialCorpus.Positions, c => c.Position, cases, Cell));

        sb.Append("\nleaks per class × obfuscation, with the positions that leaked (n/m where a position has several cases):\n");
        foreach (string dataClass in AdversarialCorpus.DataClasses)
        {
            foreach (string obfuscation in AdversarialCorpus.Obfuscations)
            {
                var group = cases.Where(c => c.DataClass == dataClass && c.Obfuscation == obfuscation).ToList();
                int count = group.Count(leaked.Contains);
                if (count == 0)
                {
                    continue;
                }

                var positions = AdversarialCorpus.Positions
                    .Select(p => (Position: p, Cases: group.Where(c => c.Position == p).ToList()))
                    .Where(p => p.Cases.Count > 0)
                    .ToList();
                string Label((string Position, List<AdversarialCase> Cases) p)
                {
                    int n = p.Cases.Count(leaked.Contains);
                    return n == p.Cases.Count && n == 1 ? p.Position : Inv($"{p.Position} {n}/{p.Cases.Count}");
                }

                var leaking = positions.Where(p => p.Cases.Any(leaked.Contains)).ToList();
                var partly = leaking.Where(p => !p.Cases.All(leaked.Contains)).ToList();
                var clean = positions.Where(p => !p.Cases.Any(leaked.Contains)).ToList();
                string detail = positions.Count <= 2 ? "at " + string.Join(", ", leaking.Select(p => Inv($"{p.Position} {p.Cases.Count(leaked.Contains)}/{p.Cases.Count}")))
                    : clean.Count == 0 && partly.Count == 0 ? Inv($"everywhere ({positions.Count} positions)")
                    : clean.Count > 0 && leaking.Count > positions.Count / 2
                        ? "everywhere but " + string.Join(", ", clean.Select(p => p.Position)) + (partly.Count > 0 ? "; partly at " + string.Join(", ", partly.Select(Label)) : "")
                    : "at " + string.Join(", ", leaking.Select(Label));
                sb.Append(Inv($"  {dataClass,-13} {obfuscation,-20} {count,4}/{group.Count,-4} {detail}\n"));
            }
        }

        return sb.ToString();
    }

    /// <summary>Requests not answered 200, grouped by class × obfuscation × position, with one error each.</summary>
    public static string Failures(IReadOnlyList<CaseOutcome> outcomes)
    {
        var sb = new StringBuilder();
        foreach (var group in outcomes.Where(o => o.Status != 200).GroupBy(o => (o.Case.DataClass, o.Case.Obfuscation, o.Case.Position, o.Status)))
        {
            string error = group.First().Error ?? "";
            error = error.Length > 200 ? error[..200] + "…" : error;
            sb.Append(Inv($"  {group.Key.DataClass,-13} {group.Key.Obfuscation,-20} {group.Key.Position,-34} HTTP {group.Key.Status} ×{group.Count()}: {error}\n"));
        }

        return sb.ToString();
    }

    /// <summary>Rows × classes, each cell from the cases in it.</summary>
    private static string Matrix(IReadOnlyList<string> rows, Func<AdversarialCase, string> rowOf, IReadOnlyList<AdversarialCase> cases, Func<List<AdversarialCase>, string> cell)
    {
        const int RowWidth = 36;
        const int CellWidth = 13;
        var sb = new StringBuilder();
        sb.Append(' ', 2).Append("".PadRight(RowWidth));
        foreach (string dataClass in AdversarialCorpus.DataClasses)
        {
            sb.Append(dataClass.PadLeft(CellWidth));
        }

        sb.Append("all".PadLeft(CellWidth)).Append('\n');
        foreach (string row in rows)
        {
            var inRow = cases.Where(c => rowOf(c) == row).ToList();
            sb.Append(' ', 2).Append(row.PadRight(RowWidth));
            foreach (string dataClass in AdversarialCorpus.DataClasses)
            {
                sb.Append(cell([.. inRow.Where(c => c.DataClass == dataClass)]).PadLeft(CellWidth));
            }

            sb.Append(cell(inRow).PadLeft(CellWidth)).Append('\n');
        }

        return sb.ToString();
    }

    private static string Inv(FormattableString s) => FormattableString.Invariant(s);
}
