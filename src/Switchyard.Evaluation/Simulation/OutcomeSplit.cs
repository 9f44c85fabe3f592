using System.Text;

namespace Switchyard.Evaluation.Simulation;

/// <summary>
/// Splits outcome rows into disjoint train and test parts without leakage: rows with the same conversation text are
/// kept together (a prompt is never in both), and the split is fixed by the seed.
/// </summary>
public static class OutcomeSplit
{
    /// <summary>Puts about <paramref name="testFraction"/> of the distinct prompts in the test part.</summary>
    public static (IReadOnlyList<OutcomeRecord> Train, IReadOnlyList<OutcomeRecord> Test) Split(IReadOnlyList<OutcomeRecord> records, double testFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (!(testFraction is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "The test fraction must be between 0 and 1 (exclusive).");
        }

        var groups = new Dictionary<string, List<OutcomeRecord>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var record in records)
        {
            var key = Key(record);
            if (!groups.TryGetValue(key, out var list))
            {
                groups[key] = list = [];
                order.Add(key);
            }

            list.Add(record);
        }

        var keys = order.ToArray();
        new Random(seed).Shuffle(keys);
        var testGroups = (int)Math.Round(keys.Length * testFraction, MidpointRounding.AwayFromZero);
        testGroups = Math.Clamp(testGroups, 1, Math.Max(keys.Length - 1, 1));
        var test = new HashSet<string>(keys.Take(testGroups), StringComparer.Ordinal);
        var trainRows = new List<OutcomeRecord>();
        var testRows = new List<OutcomeRecord>();
        foreach (var record in records)
        {
            (test.Contains(Key(record)) ? testRows : trainRows).Add(record);
        }

        return (trainRows, testRows);
    }

    /// <summary>
    /// Leave-group-out: puts about <paramref name="testFraction"/> of the distinct groups (by <paramref name="groupOf"/>,
    /// e.g. the MMLU subject or the source task) wholly in the test part, so the router is tested on kinds of prompt it
    /// never saw; prompts without a group form one group of their own.
    /// </summary>
    public static (IReadOnlyList<OutcomeRecord> Train, IReadOnlyList<OutcomeRecord> Test) SplitByGroup(IReadOnlyList<OutcomeRecord> records, Func<OutcomeRecord, string?> groupOf, double testFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(groupOf);
        if (!(testFraction is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "The test fraction must be between 0 and 1 (exclusive).");
        }

        var groups = records.Select(r => groupOf(r) ?? string.Empty).Distinct(StringComparer.Ordinal).ToArray();
        if (groups.Length < 2)
        {
            throw new ArgumentException($"Leave-group-out needs at least two groups; the records have {groups.Length}.", nameof(records));
        }

        new Random(seed).Shuffle(groups);
        var count = Math.Clamp((int)Math.Round(groups.Length * testFraction, MidpointRounding.AwayFromZero), 1, groups.Length - 1);
        var test = new HashSet<string>(groups.Take(count), StringComparer.Ordinal);
        var trainRows = new List<OutcomeRecord>();
        var testRows = new List<OutcomeRecord>();
        foreach (var record in records)
        {
            (test.Contains(groupOf(record) ?? string.Empty) ? testRows : trainRows).Add(record);
        }

        return (trainRows, testRows);
    }

    /// <summary>The identity of a prompt for splitting: every message's role and text.</summary>
    public static string Key(OutcomeRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var sb = new StringBuilder();
        foreach (var message in record.Messages)
        {
            sb.Append(message.Role.Value).Append('\u001f').Append(message.Text).Append('\u001e');
        }

        return sb.ToString();
    }
}
