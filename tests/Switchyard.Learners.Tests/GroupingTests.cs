using Microsoft.Extensions.AI;
using Switchyard.Evaluation;
using Switchyard.Routing.Learners;

namespace Switchyard.Learners.Tests;

public sealed class GroupingTests
{
    [Fact]
    public void Prompts_with_the_same_id_or_conversation_share_a_group_transitively()
    {
        OutcomeRecord[] records =
        [
            Record("a", "one"),
            Record("b", "two"),
            Record("c", "one"),   // same conversation as a
            Record("d", "three"),
            Record("a", "four"),  // same id as a
            Record("e", "four"),  // same conversation as the second a, so with a and c
        ];

        var groups = PromptGroups.Of(records);

        Assert.Equal([0, 1, 0, 2, 0, 0], groups);
    }

    [Fact]
    public void Folds_keep_groups_together_and_are_balanced_and_seeded()
    {
        var groups = Enumerable.Range(0, 103).Select(i => i / 3).ToArray(); // 35 groups of up to 3
        var folds = GroupedFolds.Assign(groups, 5, seed: 2);

        foreach (var g in groups.Distinct())
        {
            Assert.Single(Enumerable.Range(0, groups.Length).Where(i => groups[i] == g).Select(i => folds[i]).Distinct());
        }

        var groupsPerFold = Enumerable.Range(0, 5).Select(f => groups.Where((_, i) => folds[i] == f).Distinct().Count()).ToArray();
        Assert.Equal([7, 7, 7, 7, 7], groupsPerFold);
        Assert.Equal(folds, GroupedFolds.Assign(groups, 5, seed: 2));
        Assert.NotEqual(folds, GroupedFolds.Assign(groups, 5, seed: 3));
    }

    [Fact]
    public void Too_few_groups_for_the_folds_is_refused()
    {
        Assert.Throws<ArgumentException>(() => GroupedFolds.Assign([0, 0, 1, 1], 3, seed: 1));
    }

    private static OutcomeRecord Record(string id, string prompt) =>
        new(id, [new ChatMessage(ChatRole.User, prompt)], new Dictionary<string, ModelOutcome> { ["m"] = new(1) });
}
