using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace Switchyard.Evaluation.Tasks;

/// <summary>
/// LLM-as-judge, MT-Bench style: a judging model reads the question (and the reference answer, when the task has one)
/// and the answer, explains, and rates it 1–10 as <c>Rating: [[n]]</c>; the score is n/10 and the rating is kept as the
/// raw score. A reply with no rating in 1–10 cannot be graded (null score, recorded as an error).
/// Task-file option: <c>model</c> (the judging model; default <c>--judge</c>).
/// </summary>
/// <remarks>
/// The prompts are MT-Bench's single-answer grading prompts (<c>single-v1</c>, and <c>single-math-v1</c> when there is
/// a reference). A multi-turn conversation is shown as a transcript and the judge rates the reply to the last turn. The
/// judge is called with temperature 0. Of several <c>[[n]]</c> in the reply, the last counts.
/// </remarks>
public sealed class JudgeGrader : IGrader
{
    /// <summary>The judge's system prompt.</summary>
    public const string SystemPrompt = "You are a helpful assistant.";

    private static readonly Regex Rating = new(@"\[\[\s*(?<n>\d+(?:\.\d+)?)\s*\]\]", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, TimeSpan.FromSeconds(1));

    private readonly IChatClient _judge;

    /// <summary>Creates the grader.</summary>
    /// <param name="judge">The judging model's client (already bound to the model).</param>
    /// <param name="reference">The reference answer shown to the judge, when the task has one.</param>
    /// <param name="judgeModel">The judging model's name, for explanations.</param>
    public JudgeGrader(IChatClient judge, string? reference = null, string? judgeModel = null)
    {
        ArgumentNullException.ThrowIfNull(judge);
        _judge = judge;
        Reference = reference;
        JudgeModel = judgeModel;
    }

    /// <inheritdoc />
    public string Type => "judge";

    /// <summary>The reference answer, when there is one.</summary>
    public string? Reference { get; }

    /// <summary>The judging model's name, when known.</summary>
    public string? JudgeModel { get; }

    /// <summary>The rating in a judge's reply: the last <c>[[n]]</c>, or null when there is none.</summary>
    /// <param name="reply">The judge's reply.</param>
    public static double? ParseRating(string reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        Match? last = null;
        for (var m = Rating.Match(reply); m.Success; m = m.NextMatch())
        {
            last = m;
        }

        return last is null ? null : double.Parse(last.Groups["n"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
    }

    /// <summary>The user message sent to the judge.</summary>
    /// <param name="conversation">The conversation the model answered.</param>
    /// <param name="answer">The model's answer.</param>
    /// <param name="reference">The reference answer, or null.</param>
    public static string BuildPrompt(IReadOnlyList<ChatMessage> conversation, string answer, string? reference)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        ArgumentNullException.ThrowIfNull(answer);
        var prompt = new StringBuilder("[Instruction]\nPlease act as an impartial judge and evaluate the quality of the response provided by an AI assistant to the user question displayed below. ");
        prompt.Append(reference is null
            ? "Your evaluation should consider factors such as the helpfulness, relevance, accuracy, depth, creativity, and level of detail of the response. Begin your evaluation by providing a short explanation. "
            : "Your evaluation should consider correctness and helpfulness. You will be given a reference answer and the assistant's answer. Begin your evaluation by comparing the assistant's answer with the reference answer. Identify and correct any mistakes. ");
        if (conversation.Count(m => m.Role != ChatRole.System) > 1)
        {
            prompt.Append("The question is the last user turn of the conversation shown; rate only the assistant's answer to it. ");
        }

        prompt.Append("Be as objective as possible. After providing your explanation, you must rate the response on a scale of 1 to 10 by strictly following this format: \"[[rating]]\", for example: \"Rating: [[5]]\".\n\n[Question]\n");
        prompt.Append(Question(conversation)).Append("\n\n");
        if (reference is not null)
        {
            prompt.Append("[The Start of Reference Answer]\n").Append(reference).Append("\n[The End of Reference Answer]\n\n");
        }

        prompt.Append("[The Start of Assistant's Answer]\n").Append(answer).Append("\n[The End of Assistant's Answer]");
        return prompt.ToString();
    }

    /// <inheritdoc />
    public async ValueTask<GradeResult> GradeAsync(IReadOnlyList<ChatMessage> conversation, string answer, CancellationToken cancellationToken)
    {
        ChatMessage[] messages = [new(ChatRole.System, SystemPrompt), new(ChatRole.User, BuildPrompt(conversation, answer, Reference))];
        var response = await _judge.GetResponseAsync(messages, new ChatOptions { Temperature = 0 }, cancellationToken).ConfigureAwait(false);
        var reply = response.Text;
        var judge = JudgeModel is null ? "the judge" : $"judge {JudgeModel}";
        if (ParseRating(reply) is not { } rating)
        {
            return GradeResult.Ungraded($"{judge} gave no rating [[1-10]]: {GraderText.Quote(reply)}");
        }

        if (rating is < 1 or > 10)
        {
            return GradeResult.Ungraded(string.Create(CultureInfo.InvariantCulture, $"{judge} gave rating {rating}, outside 1-10"));
        }

        return new GradeResult(rating / 10, string.Create(CultureInfo.InvariantCulture, $"{judge} rated {rating}/10")) { RawScore = rating };
    }

    private static string Question(IReadOnlyList<ChatMessage> conversation)
    {
        var turns = conversation.Where(m => m.Role != ChatRole.System).ToList();
        if (turns.Count == 1)
        {
            return turns[0].Text;
        }

        var transcript = new StringBuilder();
        foreach (var turn in turns)
        {
            transcript.Append(turn.Role == ChatRole.User ? "### User:\n" : "### Assistant:\n").Append(turn.Text).Append("\n\n");
        }

        return transcript.ToString().TrimEnd();
    }
}
