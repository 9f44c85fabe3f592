using Microsoft.Extensions.AI;
using Switchyard.Evaluation.Tasks;
using Switchyard.Testing;

namespace Switchyard.Tests.Evaluation.Tasks;

public sealed class JudgeGraderTests
{
    private static readonly ChatMessage[] Question = [new(ChatRole.User, "What is the capital of France?")];

    private static (JudgeGrader Grader, List<(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options)> Calls) Judge(string reply, string? reference = null)
    {
        var calls = new List<(IReadOnlyList<ChatMessage>, ChatOptions?)>();
        var client = new TestChatClient
        {
            GetResponseAsyncCallback = (messages, options, _) =>
            {
                calls.Add((messages.ToList(), options));
                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, reply)));
            },
        };
        return (new JudgeGrader(client, reference, "judge-model"), calls);
    }

    [Theory]
    [InlineData("The answer is correct and concise. Rating: [[9]]", 9.0)]
    [InlineData("Rating: [[10]]", 10.0)]
    [InlineData("Rating: [[1]]", 1.0)]
    [InlineData("Partly right. Rating: [[ 6.5 ]]", 6.5)]
    [InlineData("An example is \"Rating: [[5]]\". My verdict: [[7]]", 7.0)]
    public async Task ParsesTheRatingAndScoresTenths(string reply, double rating)
    {
        var (grader, _) = Judge(reply);
        var result = await grader.GradeAsync(Question, "Paris", CancellationToken.None);
        Assert.Equal(rating / 10, result.Score);
        Assert.Equal(rating, result.RawScore);
    }

    [Theory]
    [InlineData("I would give it a nine.")]
    [InlineData("Rating: 8/10")]
    [InlineData("Rating: [[0]]")]
    [InlineData("Rating: [[11]]")]
    [InlineData("")]
    public async Task UnparseableOrOutOfRange_IsUngraded(string reply)
    {
        var (grader, _) = Judge(reply);
        var result = await grader.GradeAsync(Question, "Paris", CancellationToken.None);
        Assert.Null(result.Score);
        Assert.Contains("judge judge-model", result.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prompt_ShowsQuestionAnswerAndFormat_AtTemperatureZero()
    {
        var (grader, calls) = Judge("Rating: [[8]]");
        await grader.GradeAsync(Question, "It is Paris.", CancellationToken.None);
        var (messages, options) = Assert.Single(calls);
        Assert.Equal(ChatRole.System, messages[0].Role);
        var prompt = messages[1].Text;
        Assert.Contains("[Question]\nWhat is the capital of France?", prompt, StringComparison.Ordinal);
        Assert.Contains("[The Start of Assistant's Answer]\nIt is Paris.\n[The End of Assistant's Answer]", prompt, StringComparison.Ordinal);
        Assert.Contains("\"Rating: [[5]]\"", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("Reference Answer", prompt, StringComparison.Ordinal);
        Assert.Equal(0f, options?.Temperature);
    }

    [Fact]
    public async Task Prompt_WithReference_AsksToCompare()
    {
        var (grader, calls) = Judge("Rating: [[3]]", reference: "Paris");
        await grader.GradeAsync(Question, "Lyon", CancellationToken.None);
        var prompt = Assert.Single(calls).Messages[1].Text;
        Assert.Contains("[The Start of Reference Answer]\nParis\n[The End of Reference Answer]", prompt, StringComparison.Ordinal);
        Assert.Contains("comparing the assistant's answer with the reference answer", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prompt_MultiTurn_ShowsTheTranscript()
    {
        ChatMessage[] conversation = [new(ChatRole.System, "Be brief."), new(ChatRole.User, "Name a fruit."), new(ChatRole.Assistant, "Apple."), new(ChatRole.User, "Another?")];
        var (grader, calls) = Judge("Rating: [[7]]");
        await grader.GradeAsync(conversation, "Pear.", CancellationToken.None);
        var prompt = Assert.Single(calls).Messages[1].Text;
        Assert.Contains("### User:\nName a fruit.\n\n### Assistant:\nApple.\n\n### User:\nAnother?", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("Be brief.", prompt, StringComparison.Ordinal);
    }
}
