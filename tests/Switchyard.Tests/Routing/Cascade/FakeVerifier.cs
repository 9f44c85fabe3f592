using Microsoft.Extensions.AI;
using Switchyard.Routing.Cascade;

namespace Switchyard.Tests.Routing.Cascade;

/// <summary>A verifier the test controls: it reports when it starts and returns the verdict the test sets.</summary>
public sealed class FakeVerifier : ICascadeVerifier
{
    /// <summary>Creates a verifier that answers with <paramref name="verdict"/>, or waits for <see cref="Verdict"/> when null.</summary>
    public FakeVerifier(CascadeVerdict? verdict = null)
    {
        if (verdict is not null)
        {
            Verdict.SetResult(verdict);
        }
    }

    /// <summary>Completed with the answer when verification starts.</summary>
    public TaskCompletionSource<ChatResponse> Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The verdict to return; the verifier waits for it (honouring cancellation).</summary>
    public TaskCompletionSource<CascadeVerdict> Verdict { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Calls { get; private set; }

    /// <summary>Waits until verification starts (bounded, so a broken test fails instead of hanging).</summary>
    public Task<ChatResponse> WaitStartedAsync() => Started.Task.WaitAsync(TimeSpan.FromSeconds(30));

    public IReadOnlyList<ChatMessage>? Messages { get; private set; }

    public ChatOptions? Options { get; private set; }

    public CancellationToken Token { get; private set; }

    public async ValueTask<CascadeVerdict> VerifyAsync(IReadOnlyList<ChatMessage> messages, ChatResponse answer, ChatOptions? options, CancellationToken cancellationToken)
    {
        Calls++;
        Messages = messages;
        Options = options;
        Token = cancellationToken;
        Started.TrySetResult(answer);
        return await Verdict.Task.WaitAsync(cancellationToken);
    }

    public static CascadeVerdict Accept() => new(true, 0.9, 0.7, CascadeVerdict.JudgeMethod, "judge rated 9/10");

    public static CascadeVerdict Reject() => new(false, 0.3, 0.7, CascadeVerdict.JudgeMethod, "judge rated 3/10");
}
