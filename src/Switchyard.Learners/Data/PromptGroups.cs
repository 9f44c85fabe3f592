using Switchyard.Evaluation;
using Switchyard.Evaluation.Simulation;

namespace Switchyard.Routing.Learners;

/// <summary>
/// Groups recorded prompts that must stay on one side of a split: the same id, or the same conversation (role and
/// text of every message, as <see cref="OutcomeSplit.Key"/>), transitively.
/// </summary>
public static class PromptGroups
{
    /// <summary>A group number per record (0, 1, … in order of first appearance).</summary>
    public static int[] Of(IReadOnlyList<OutcomeRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var parent = Enumerable.Range(0, records.Count).ToArray();
        var byId = new Dictionary<string, int>(StringComparer.Ordinal);
        var byConversation = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < records.Count; i++)
        {
            Join(byId, records[i].Id, i);
            Join(byConversation, OutcomeSplit.Key(records[i]), i);
        }

        var numbers = new Dictionary<int, int>();
        var groups = new int[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            var root = Find(i);
            if (!numbers.TryGetValue(root, out var number))
            {
                numbers[root] = number = numbers.Count;
            }

            groups[i] = number;
        }

        return groups;

        void Join(Dictionary<string, int> seen, string key, int i)
        {
            if (seen.TryGetValue(key, out var other))
            {
                var (a, b) = (Find(other), Find(i));
                parent[Math.Max(a, b)] = Math.Min(a, b);
            }
            else
            {
                seen[key] = i;
            }
        }

        int Find(int i)
        {
            while (parent[i] != i)
            {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }

            return i;
        }
    }
}
