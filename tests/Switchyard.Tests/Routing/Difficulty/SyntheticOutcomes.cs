using Microsoft.Extensions.AI;
using Switchyard.Evaluation;

namespace Switchyard.Tests.Routing.Difficulty;

/// <summary>
/// Outcome rows with a known structure: prompts about calculus are hard (the weak model fails, the strong succeeds),
/// prompts about greetings or colours are easy (both succeed), with a little label noise.
/// </summary>
internal static class SyntheticOutcomes
{
    public const string Weak = "local";
    public const string Strong = "backup";

    private static readonly string[] Hard = ["Compute the integral of x^2 sin(x) dx", "Prove the derivative of the integral equals the integrand", "Evaluate the limit of (1+1/n)^n with an epsilon-delta proof", "Find the eigenvalues of the Jacobian matrix of this system"];
    private static readonly string[] Easy = ["Say hello to my friend", "What colour is the sky on a clear day", "Greet the new team member warmly", "Name a colour that rhymes with bed"];

    public static bool IsHard(string prompt) => Hard.Any(h => prompt.StartsWith(h, StringComparison.Ordinal));

    public static string HardPrompt(int i) => $"{Hard[i % Hard.Length]} (variant {i})";

    public static string EasyPrompt(int i) => $"{Easy[i % Easy.Length]} (variant {i})";

    public static List<OutcomeRecord> Create(int count, int seed = 7)
    {
        var random = new Random(seed);
        var rows = new List<OutcomeRecord>(count);
        for (var i = 0; i < count; i++)
        {
            var hard = i % 3 == 0;
            var prompt = hard ? HardPrompt(i) : EasyPrompt(i);
            var noise = random.NextDouble() < 0.05;
            var weakScore = hard ^ noise ? 0.0 : 1.0;
            rows.Add(new OutcomeRecord($"row/{i}", [new ChatMessage(ChatRole.User, prompt)], new Dictionary<string, ModelOutcome>
            {
                [Weak] = new(weakScore),
                [Strong] = new(1.0),
            }));
        }

        return rows;
    }
}
