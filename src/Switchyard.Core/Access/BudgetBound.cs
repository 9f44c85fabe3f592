using System.Text;
using Microsoft.Extensions.AI;
using Switchyard.Configuration;

namespace Switchyard.Access;

/// <summary>
/// The worst-case cost of one call, reserved against budgets before it is made: input bounded by the UTF-8 bytes of
/// everything sent (no tokenizer yields more tokens than bytes, plus a per-message allowance for the chat template),
/// output by the request's <c>max_tokens</c> or else the model's limit, both at the candidate's price, rounded up.
/// </summary>
public static class BudgetBound
{
    /// <summary>The output bound when neither the request nor the model configures one.</summary>
    public const int DefaultMaxOutputTokens = 4096;

    /// <summary>Tokens allowed per message for role markers and template text.</summary>
    public const int PerMessageTokens = 16;

    /// <summary>Tokens allowed per image or other non-text part (providers bill large images at about 1,600).</summary>
    public const int PerAttachmentTokens = 2048;

    /// <summary>An upper bound on the input tokens of <paramref name="messages"/> (and the tools in <paramref name="options"/>).</summary>
    public static long InputTokens(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        ArgumentNullException.ThrowIfNull(messages);
        long bound = 0;
        foreach (var message in messages)
        {
            bound += PerMessageTokens;
            foreach (var content in message.Contents)
            {
                bound += content switch
                {
                    TextContent t => Encoding.UTF8.GetByteCount(t.Text ?? ""),
                    TextReasoningContent r => Encoding.UTF8.GetByteCount(r.Text ?? ""),
                    FunctionCallContent call => Encoding.UTF8.GetByteCount(call.Name) + (call.Arguments?.Sum(a => Encoding.UTF8.GetByteCount(a.Key) + Encoding.UTF8.GetByteCount(a.Value?.ToString() ?? "") + 8) ?? 0),
                    FunctionResultContent result => Encoding.UTF8.GetByteCount(result.Result?.ToString() ?? "") + 8,
                    _ => PerAttachmentTokens,
                };
            }
        }

        foreach (var tool in options?.Tools ?? [])
        {
            bound += Encoding.UTF8.GetByteCount(tool.Name) + Encoding.UTF8.GetByteCount(tool.Description ?? "") + PerMessageTokens
                + (tool is AIFunctionDeclaration f ? Encoding.UTF8.GetByteCount(f.JsonSchema.GetRawText()) : 0);
        }

        return bound;
    }

    /// <summary>The worst-case cost in nano-dollars (rounded up) of sending the request to a model priced <paramref name="price"/>.</summary>
    public static long WorstCaseNanoUsd(ModelPrice price, IEnumerable<ChatMessage> messages, ChatOptions? options, int maxOutputTokens = DefaultMaxOutputTokens)
    {
        ArgumentNullException.ThrowIfNull(price);
        if (price.Input == 0 && price.Output == 0)
        {
            return 0;
        }

        var output = options?.MaxOutputTokens is int requested and > 0 ? requested : maxOutputTokens;
        var cost = Metering.CostCalculator.Cost(price, InputTokens(messages, options), 0, output);
        return (long)decimal.Ceiling(cost * 1_000_000_000m);
    }
}
