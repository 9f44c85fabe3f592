namespace Switchyard.Tests.Evaluation.Tasks;

/// <summary>What the scripted upstream answers: text (200) or an error status.</summary>
internal sealed record ScriptedReply(string? Text, int Status = 200, int InputTokens = 10, int OutputTokens = 5)
{
    public static ScriptedReply Error(int status) => new(null, status);
}
