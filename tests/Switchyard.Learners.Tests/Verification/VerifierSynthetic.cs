using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;
using Switchyard.Embeddings;
using Switchyard.Routing.Learners.Verification;

namespace Switchyard.Learners.Tests.Verification;

/// <summary>
/// Synthetic weak answers whose quality is known: random prose of random length, with or without a <c>####</c> final
/// answer and hedging phrases. The strong model is always right, so "good enough" is the weak score.
/// </summary>
internal static class VerifierSynthetic
{
    public const string Weak = "weak";
    public const string Strong = "strong";

    private static readonly string[] Vocabulary =
    [
        "eggs", "apples", "train", "minutes", "dollars", "sells", "buys", "each", "total", "left", "more", "than", "half",
        "twice", "week", "day", "price", "cost", "boxes", "students", "class", "garden", "rows", "plants", "miles",
    ];

    /// <summary>
    /// <paramref name="n"/> examples; when <paramref name="noisy"/> is false an answer is good exactly when it has a
    /// <c>####</c> line, otherwise the label is drawn with P(good) = σ(1.5·hash − 1.2·hedges + 0.02·(words − 60)).
    /// </summary>
    public static List<VerifierExample> Examples(int n, int seed, bool noisy = false, string idPrefix = "s")
    {
        var random = new Random(seed);
        var examples = new List<VerifierExample>(n);
        for (var i = 0; i < n; i++)
        {
            var prompt = Words(random, random.Next(10, 120)) + "?";
            var words = random.Next(5, 120);
            var hash = random.NextDouble() < 0.5;
            var hedges = random.Next(0, 3);
            var answer = new StringBuilder(Words(random, words));

            // One to four lines of prose, so the line count says nothing about the final-answer line.
            for (var line = random.Next(0, 4); line > 0; line--)
            {
                answer.Append('\n').Append(Words(random, random.Next(3, 12)));
            }

            for (var h = 0; h < hedges; h++)
            {
                answer.Append(" maybe");
            }

            var number = random.Next(1, 500).ToString(CultureInfo.InvariantCulture);
            answer.Append(hash ? "\n#### " + number : " so it is " + number);
            bool good;
            if (noisy)
            {
                var z = (1.5 * (hash ? 1 : 0)) - (1.2 * hedges) + (0.02 * (words - 60));
                good = random.NextDouble() < 1 / (1 + Math.Exp(-z));
            }
            else
            {
                good = hash;
            }

            examples.Add(new VerifierExample(
                string.Create(CultureInfo.InvariantCulture, $"{idPrefix}/{i}"),
                [new ChatMessage(ChatRole.User, prompt)],
                answer.ToString(),
                good ? 1 : 0,
                1));
        }

        return examples;
    }

    private static string Words(Random random, int count) =>
        string.Join(' ', Enumerable.Range(0, count).Select(_ => Vocabulary[random.Next(Vocabulary.Length)]));
}

/// <summary>A deterministic 8-dimensional embedder (hash of the text's words), for tests that need an embedding but not its meaning.</summary>
internal sealed class HashEmbedder(int dimensions = 8) : ITextEmbedder
{
    public int Dimensions => dimensions;

    public float[] Embed(string text)
    {
        var v = new float[dimensions];
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var h = 17;
            foreach (var c in word)
            {
                h = unchecked((h * 31) + c);
            }

            v[(int)((uint)h % (uint)dimensions)] += 1;
        }

        var norm = MathF.Sqrt(v.Sum(x => x * x));
        return norm > 0 ? [.. v.Select(x => x / norm)] : v;
    }

    public IReadOnlyList<float[]> Embed(IReadOnlyList<string> texts) => [.. texts.Select(Embed)];
}
