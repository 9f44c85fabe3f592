using Microsoft.Extensions.AI;
using Switchyard.Evaluation;
using Switchyard.Routing.Difficulty;
using Switchyard.Routing.Learners;

namespace Switchyard.Learners.Tests;

/// <summary>
/// Real all-MiniLM-L6-v2 embeddings: the weak model answers cooking questions well and maths questions badly, the
/// strong one both. Learners trained on some of each must send unseen maths questions to the strong model.
/// </summary>
[Collection(SharedEmbedder.Name)]
public sealed class MiniLmRoutingTests(EmbedderFixture fixture)
{
    private const string Weak = "small";
    private const string Strong = "large";

    private static readonly string[] Maths =
    [
        "Prove that the square root of 2 is irrational.",
        "Find all real solutions of x^3 - 6x^2 + 11x - 6 = 0.",
        "Compute the integral of x * e^x from 0 to 1.",
        "How many ways can 8 rooks be placed on a chessboard so that none attack each other?",
        "Show that the sum of the first n odd numbers is n squared.",
        "What is the derivative of sin(x) * ln(x)?",
        "Solve the system 2x + 3y = 7 and x - y = 1.",
        "Find the eigenvalues of the matrix [[2, 1], [1, 2]].",
        "What is the probability of rolling two sixes with two fair dice?",
        "Determine the limit of (1 + 1/n)^n as n goes to infinity.",
        "Prove that there are infinitely many prime numbers.",
        "Find the greatest common divisor of 462 and 1071.",
        "Evaluate the sum of 1/k^2 for k from 1 to infinity.",
        "A triangle has sides 7, 24 and 25. What is its area?",
        "Factor the polynomial x^4 - 16 completely over the reals.",
        "What is the remainder when 2^100 is divided by 7?",
        "Solve the differential equation y' = 3y with y(0) = 2.",
        "How many subsets of a 10-element set have exactly 3 elements?",
        "Find the minimum of f(x) = x^2 - 4x + 9.",
        "Compute the determinant of a 3x3 matrix with rows (1,2,3), (4,5,6), (7,8,10).",
    ];

    private static readonly string[] Cooking =
    [
        "How long should I boil an egg for a runny yolk?",
        "What can I use instead of buttermilk in pancakes?",
        "How do I keep pasta from sticking together?",
        "What is the best way to season a cast iron skillet?",
        "How do I make a simple tomato sauce from fresh tomatoes?",
        "Why did my bread not rise in the oven?",
        "How long can cooked rice stay in the fridge?",
        "What temperature should I roast a whole chicken at?",
        "How do I caramelize onions without burning them?",
        "Can I freeze homemade soup, and for how long?",
        "What spices go well in a vegetable curry?",
        "How do I make fluffy scrambled eggs?",
        "What is the difference between baking soda and baking powder?",
        "How do I cook salmon so the skin is crispy?",
        "How much salt should I add to the water when cooking pasta?",
        "What is a good marinade for grilled vegetables?",
        "How do I know when a steak is medium rare?",
        "How do I make a pie crust flaky?",
        "What herbs go well with roast potatoes?",
        "How do I stop guacamole from turning brown?",
    ];

    private readonly PromptEncoder _encoder = new(fixture.Embedder);

    [Fact]
    public void Knn_and_cluster_learners_route_unseen_maths_to_the_strong_model()
    {
        var train = Records(Maths.Take(16), Cooking.Take(16));
        var data = TrainingSet.Build(train, LearnerTarget.ForPair(Weak, Strong), _encoder);
        var learners = new IScoreLearner[] { new KnnLearner(), new ClusterProfileLearner(), new EmbeddingLogisticLearner() };

        foreach (var learner in learners)
        {
            var scorer = new LearnedDifficultyScorer(learner.Fit(data), _encoder, Weak, Strong);
            Assert.IsAssignableFrom<IDifficultyScorer>(scorer);
            var maths = Maths.Skip(16).Select(p => scorer.PredictGoodEnough(Conversation(p))).ToArray();
            var cooking = Cooking.Skip(16).Select(p => scorer.PredictGoodEnough(Conversation(p))).ToArray();

            // A 0.5 threshold sends every unseen maths question to the strong model and no cooking question.
            var detail = $"{learner.Name}: maths [{string.Join(", ", maths.Select(p => p.ToString("0.00")))}], cooking [{string.Join(", ", cooking.Select(p => p.ToString("0.00")))}]";
            if (learner is EmbeddingLogisticLearner)
            {
                Assert.True(maths.Average() < cooking.Average(), detail);
                continue;
            }

            Assert.True(maths.Max() < 0.5, detail);
            Assert.True(cooking.Min() > 0.5, detail);
        }
    }

    [Fact]
    public void Score_predictor_expects_the_weak_model_to_fail_at_maths_and_the_strong_one_not()
    {
        var data = TrainingSet.Build(Records(Maths.Take(16), Cooking.Take(16)), LearnerTarget.ForPair(Weak, Strong), _encoder);
        var predictor = new LearnedScorePredictor(new KnnLearner().Fit(data), _encoder);

        Assert.Equal([Weak, Strong], predictor.Models);
        var maths = predictor.PredictScores(Conversation(Maths[^1]));
        var cooking = predictor.PredictScores(Conversation(Cooking[^1]));
        Assert.True(maths[0] < 0.5 && cooking[0] > 0.5, $"weak: maths {maths[0]}, cooking {cooking[0]}");
        Assert.Equal(1, maths[1], 9);
        Assert.Equal(1, cooking[1], 9);
    }

    [Fact]
    public void A_scorer_refuses_a_pair_its_learner_was_not_fitted_for_or_embeddings_of_another_size()
    {
        var data = TrainingSet.Build(Records(Maths.Take(6), Cooking.Take(6)), LearnerTarget.ForPair(Weak, Strong), _encoder);
        var model = new KnnLearner().Fit(data);

        Assert.Throws<ArgumentException>(() => new LearnedDifficultyScorer(model, _encoder, "other", Strong));
        Assert.Throws<ArgumentException>(() => new LearnedDifficultyScorer(model, new PromptEncoder(null), Weak, Strong));

        // The length baseline needs no embedder.
        var length = new LearnedDifficultyScorer(new LengthBaseline().Fit(data), new PromptEncoder(null), Weak, Strong);
        Assert.InRange(length.PredictGoodEnough(Conversation(Maths[0])), 0, 1);
    }

    private static List<ChatMessage> Conversation(string prompt) => [new(ChatRole.User, prompt)];

    private static List<OutcomeRecord> Records(IEnumerable<string> maths, IEnumerable<string> cooking) =>
    [
        .. maths.Select((p, i) => Record($"maths/{i}", p, weak: 0)),
        .. cooking.Select((p, i) => Record($"cooking/{i}", p, weak: 1)),
    ];

    private static OutcomeRecord Record(string id, string prompt, double weak) =>
        new(id, Conversation(prompt), new Dictionary<string, ModelOutcome> { [Weak] = new(weak), [Strong] = new(1) });
}
