using Microsoft.Extensions.AI;

namespace Switchyard.Routing.Learners;

/// <summary>Predicts, for one conversation, each candidate model's expected score in [0, 1] (for cost-aware routing over N models).</summary>
public interface ICandidateScorePredictor
{
    /// <summary>The candidates, in the order <see cref="PredictScores"/> answers.</summary>
    IReadOnlyList<string> Models { get; }

    /// <summary>Each candidate's expected score for <paramref name="messages"/>, in <see cref="Models"/> order.</summary>
    double[] PredictScores(IReadOnlyList<ChatMessage> messages);
}
