using Microsoft.Extensions.AI;
using Switchyard.Evaluation.Tasks;
using Switchyard.Metering;
using Switchyard.Routing;

namespace Switchyard.Cli.Eval;

/// <summary>
/// Calls one configured model or route through the runtime's pipeline (ledger, privacy guard, router, the provider the
/// gateway would use), recorded in the ledger with caller <see cref="Caller"/>, and reports each answer's cost at the
/// price of the candidate that actually served (<see cref="EvalRunner.CostKey"/>).
/// </summary>
internal sealed class EvalModelClient(IChatClient pipeline, string model) : DelegatingChatClient(pipeline)
{
    /// <summary>The caller recorded in the ledger for evaluation requests.</summary>
    public const string Caller = "switchyard-eval";

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var opts = options?.Clone() ?? new ChatOptions();
        opts.ModelId = model;
        var trace = new RequestTrace(Guid.NewGuid().ToString("N"), Caller);
        trace.AttachTo(opts);
        var response = await base.GetResponseAsync(messages, opts, cancellationToken).ConfigureAwait(false);
        if (trace.Current is { } served && response.Usage is { } usage)
        {
            (response.AdditionalProperties ??= [])[EvalRunner.CostKey] =
                CostCalculator.Cost(served.Price, usage.InputTokenCount ?? 0, usage.CachedInputTokenCount ?? 0, usage.OutputTokenCount ?? 0);
        }

        return response;
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var opts = options?.Clone() ?? new ChatOptions();
        opts.ModelId = model;
        new RequestTrace(Guid.NewGuid().ToString("N"), Caller).AttachTo(opts);
        return base.GetStreamingResponseAsync(messages, opts, cancellationToken);
    }
}
