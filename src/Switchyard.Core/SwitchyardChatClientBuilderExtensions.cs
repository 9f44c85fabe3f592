using Microsoft.Extensions.AI;
using Switchyard.Access;
using Switchyard.Metering;
using Switchyard.Privacy;

namespace Switchyard;

/// <summary>
/// Switchyard's request stages as <see cref="ChatClientBuilder"/> steps. The first <c>Use</c> is the outermost, so the
/// calls read in the order a request passes through them.
/// </summary>
public static class SwitchyardChatClientBuilderExtensions
{
    /// <summary>Records one ledger row per request (see <see cref="LedgerChatClient"/>). Put it first: it must see every refusal below it.</summary>
    public static ChatClientBuilder UseLedger(this ChatClientBuilder builder, ILedgerSink sink, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(sink);
        return builder.Use(inner => new LedgerChatClient(inner, sink, timeProvider));
    }

    /// <summary>Refuses models and routes the request's API key may not use (see <see cref="KeyAuthorizationChatClient"/>).</summary>
    public static ChatClientBuilder UseKeyAuthorization(this ChatClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(inner => new KeyAuthorizationChatClient(inner));
    }

    /// <summary>Requests and tokens per minute per API key and team, shared across instances (see <see cref="RateLimitChatClient"/>).</summary>
    public static ChatClientBuilder UseRateLimits(this ChatClientBuilder builder, IRateLimiter limiter)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(inner => new RateLimitChatClient(inner, limiter));
    }

    /// <summary>Scans the request and decides where it may go (see <see cref="PrivacyGuardChatClient"/>); the key's data classes count as findings.</summary>
    public static ChatClientBuilder UsePrivacyGuard(this ChatClientBuilder builder, PrivacyScanner scanner, PrivacyPolicy policy, IReadOnlyDictionary<string, IReadOnlyList<string>>? declaredByName = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(inner => new PrivacyGuardChatClient(inner, scanner, policy, declaredByName));
    }
}
