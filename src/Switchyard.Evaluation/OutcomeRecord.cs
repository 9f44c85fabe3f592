using Microsoft.Extensions.AI;

namespace Switchyard.Evaluation;

/// <summary>One prompt and how each model did on it: a row of an outcome table.</summary>
/// <param name="Id">Stable identifier of the prompt within its set (used to split without leakage and to resume).</param>
/// <param name="Messages">The conversation the models answered (a single user message for plain prompts).</param>
/// <param name="Outcomes">Model name → outcome.</param>
public sealed record OutcomeRecord(string Id, IReadOnlyList<ChatMessage> Messages, IReadOnlyDictionary<string, ModelOutcome> Outcomes)
{
    /// <summary>A grouping label from the source (e.g. the MMLU subject, the MT-Bench category), when there is one.</summary>
    public string? Group { get; init; }

    /// <summary>The source (task) the record was read from, when several were mixed (<c>OutcomeSources.LoadMany</c>).</summary>
    public string? Source { get; init; }

    /// <summary>The text of the last user message (the "prompt" of single-turn sets).</summary>
    public string Prompt => Messages.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? string.Empty;
}
