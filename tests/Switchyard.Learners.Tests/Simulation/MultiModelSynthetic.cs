using System.Globalization;
using Microsoft.Extensions.AI;
using Switchyard.Evaluation;

namespace Switchyard.Learners.Tests.Simulation;

/// <summary>
/// Three models whose strengths are known by topic: the small model answers cooking questions, the medium one cooking
/// and geography, the large one also maths. Real question text, so sentence embeddings can tell the topics apart; when
/// <c>lengthSeparates</c> is set the topics also differ in length (short, medium, long), so the length baseline can too.
/// </summary>
internal static class MultiModelSynthetic
{
    public const string Small = "small-model";
    public const string Medium = "medium-model";
    public const string Large = "large-model";

    public static readonly string[] Models = [Small, Medium, Large];

    public static readonly IReadOnlyDictionary<string, double> Costs = new Dictionary<string, double>
    {
        [Small] = 1,
        [Medium] = 3,
        [Large] = 10,
    };

    private static readonly string[] Foods =
    [
        "rice", "pasta", "eggs", "salmon", "chicken thighs", "potatoes", "carrots", "lentils", "broccoli", "pancakes",
        "bread dough", "mushrooms", "onions", "tofu", "a pork chop", "shrimp", "spinach", "oatmeal", "chickpeas", "beef stew",
    ];

    private static readonly string[] CookingVerbs = ["cook", "season", "store", "reheat", "prepare"];

    private static readonly string[] Countries =
    [
        "Peru", "Norway", "Kenya", "Vietnam", "Portugal", "Chile", "Mongolia", "Egypt", "Canada", "Thailand",
        "Poland", "Ghana", "Argentina", "Finland", "Morocco", "Nepal", "Colombia", "Greece", "Tanzania", "Ireland",
        "Uruguay", "Laos", "Iceland", "Bolivia", "Austria", "Senegal", "Malaysia", "Croatia", "Zambia", "Ecuador",
    ];

    private static readonly string[] Aspects = ["capital city", "longest river", "highest mountain", "official language"];

    private static readonly string[] Suffixes =
    [
        "",
        " Please answer briefly.",
        " Please explain your answer in a few sentences so that I understand the reasoning behind it.",
        " Please explain your answer in detail, give an example, mention the most common mistakes people make, and say where I can read more about it.",
    ];

    /// <summary>Cooking, geography and maths questions, <paramref name="perTopic"/> each, interleaved.</summary>
    /// <param name="perTopic">Questions per topic (at most 100).</param>
    /// <param name="seed">Seed of the texts and of the noise.</param>
    /// <param name="lengthSeparates">Cooking short, geography medium, maths long; otherwise every topic has the same length mix.</param>
    /// <param name="noise">Probability that the small or medium model's score is flipped.</param>
    public static List<OutcomeRecord> Records(int perTopic, int seed, bool lengthSeparates, double noise = 0.05)
    {
        var random = new Random(seed);
        var records = new List<OutcomeRecord>(3 * perTopic);
        for (var i = 0; i < perTopic; i++)
        {
            for (var topic = 0; topic < 3; topic++)
            {
                var text = Question(topic, i, random, lengthSeparates);
                var small = topic == 0 ? 1.0 : 0.0;
                var medium = topic <= 1 ? 1.0 : 0.0;
                small = random.NextDouble() < noise ? 1 - small : small;
                medium = random.NextDouble() < noise ? 1 - medium : medium;
                records.Add(new OutcomeRecord(
                    string.Create(CultureInfo.InvariantCulture, $"t{topic}/{i}"),
                    [new ChatMessage(ChatRole.User, text)],
                    new Dictionary<string, ModelOutcome> { [Small] = new(small), [Medium] = new(medium), [Large] = new(1) }));
            }
        }

        return records;
    }

    private static string Question(int topic, int i, Random random, bool lengthSeparates)
    {
        var c = CultureInfo.InvariantCulture;
        if (lengthSeparates)
        {
            return topic switch
            {
                0 => $"How do I {CookingVerbs[i % CookingVerbs.Length]} {Foods[i / CookingVerbs.Length % Foods.Length]}?",
                1 => $"Describe the {Aspects[i % Aspects.Length]} of {Countries[i / Aspects.Length % Countries.Length]}, and explain briefly how it has shaped the history and the economy of the country.",
                _ => string.Create(c, $"Solve the following problem step by step, showing every intermediate result and justifying each step carefully. A train leaves a station at {20 + i} km/h and a second train leaves the same station {1 + (i % 5)} hours later at {60 + random.Next(40)} km/h on a parallel track. After how many hours does the second train catch up with the first, and how far from the station are they then? Give the answer as an exact fraction."),
            };
        }

        var suffix = Suffixes[random.Next(Suffixes.Length)];
        return topic switch
        {
            0 => $"How do I {CookingVerbs[i % CookingVerbs.Length]} {Foods[i / CookingVerbs.Length % Foods.Length]} for dinner?{suffix}",
            1 => $"What is the {Aspects[i % Aspects.Length]} of {Countries[i / Aspects.Length % Countries.Length]}?{suffix}",
            _ => string.Create(c, $"What is {random.Next(12, 99)} times {random.Next(12, 99)} minus {random.Next(100, 999)}?{suffix}"),
        };
    }
}
