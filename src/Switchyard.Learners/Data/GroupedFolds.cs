namespace Switchyard.Routing.Learners;

/// <summary>Assigns prompts to cross-validation folds by group, so a group's prompts always share a fold.</summary>
public static class GroupedFolds
{
    /// <summary>
    /// The fold (0 … <paramref name="folds"/> − 1) of each prompt: the distinct groups are shuffled with
    /// <paramref name="seed"/> and dealt round-robin, so folds differ in size by at most one group.
    /// </summary>
    /// <exception cref="ArgumentException">There are fewer groups than folds, or fewer than two folds.</exception>
    public static int[] Assign(IReadOnlyList<int> groups, int folds, int seed)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        var distinct = groups.Distinct().ToArray();
        if (distinct.Length < folds)
        {
            throw new ArgumentException($"{distinct.Length} groups of prompts cannot fill {folds} folds.", nameof(groups));
        }

        new Random(seed).Shuffle(distinct);
        var foldOf = new Dictionary<int, int>(distinct.Length);
        for (var i = 0; i < distinct.Length; i++)
        {
            foldOf[distinct[i]] = i % folds;
        }

        return [.. groups.Select(g => foldOf[g])];
    }

    /// <summary>The rows of fold <paramref name="fold"/> (<paramref name="inFold"/> true) or of every other fold.</summary>
    public static int[] Rows(int[] foldOfRow, int fold, bool inFold)
    {
        ArgumentNullException.ThrowIfNull(foldOfRow);
        var rows = new List<int>();
        for (var i = 0; i < foldOfRow.Length; i++)
        {
            if ((foldOfRow[i] == fold) == inFold)
            {
                rows.Add(i);
            }
        }

        return [.. rows];
    }
}
