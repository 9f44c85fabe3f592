using System.Globalization;
using Microsoft.AspNetCore.Http;
using Switchyard.Access;

namespace Switchyard.Gateway;

/// <summary>OpenAI's rate-limit headers: <c>x-ratelimit-{limit,remaining,reset}-{requests,tokens}</c>.</summary>
internal static class RateLimitHeaders
{
    /// <summary>Writes the headers for the tightest limit of each kind that applied.</summary>
    public static void Write(IHeaderDictionary headers, RateLimitDecision decision)
    {
        Write(headers, "requests", decision.Requests);
        Write(headers, "tokens", decision.Tokens);
    }

    private static void Write(IHeaderDictionary headers, string kind, RateLimitState? state)
    {
        if (state is null)
        {
            return;
        }

        headers["x-ratelimit-limit-" + kind] = state.Limit.ToString(CultureInfo.InvariantCulture);
        headers["x-ratelimit-remaining-" + kind] = Math.Max(0, state.Remaining).ToString(CultureInfo.InvariantCulture);
        headers["x-ratelimit-reset-" + kind] = Duration(state.Reset);
    }

    /// <summary>A duration as OpenAI writes it: <c>250ms</c>, <c>12s</c>, <c>1m5s</c>.</summary>
    internal static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.FromSeconds(1))
        {
            return Math.Max(0, (int)Math.Ceiling(span.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture) + "ms";
        }

        var seconds = (long)Math.Ceiling(span.TotalSeconds);
        return seconds < 60
            ? seconds.ToString(CultureInfo.InvariantCulture) + "s"
            : string.Create(CultureInfo.InvariantCulture, $"{seconds / 60}m{seconds % 60}s");
    }
}
