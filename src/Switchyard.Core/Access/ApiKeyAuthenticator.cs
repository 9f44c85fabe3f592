using System.Collections.Concurrent;
using System.Data.Common;
using Switchyard.Routing;

namespace Switchyard.Access;

/// <summary>The outcome of <see cref="ApiKeyAuthenticator.AuthenticateAsync"/>: a principal, or the failure to send.</summary>
/// <param name="Principal">Who the request comes from, when the key is good.</param>
/// <param name="Failure">The 401 (or 503 when keys cannot be read) to answer with, when it is not.</param>
/// <param name="PresentedPrefix">The printable prefix of the key presented (<c>sk-sy-&lt;id&gt;</c>) when it parsed, for the ledger.</param>
public sealed record AuthenticationResult(RequestPrincipal? Principal, FailureInfo? Failure, string? PresentedPrefix);

/// <summary>
/// Checks a presented API key: its format, its HMAC against the stored hash (in constant time), then revocation,
/// disabling, expiry and its team. Keys are read from the shared store and trusted for a short time
/// (<c>Auth:KeyCacheMilliseconds</c>), so a revocation reaches every instance within that time; if the store cannot be
/// read, a key seen in the last minute keeps working and an unknown one gets 503.
/// </summary>
/// <remarks>Thread-safe. Never logs or returns the key's secret.</remarks>
public sealed class ApiKeyAuthenticator
{
    private const int MaxCachedKeys = 100_000;
    private static readonly TimeSpan OfflineGrace = TimeSpan.FromSeconds(60);
    private static readonly byte[] NoHash = new byte[ApiKeyHasher.HashBytes];

    private readonly IApiKeyLookup _lookup;
    private readonly ApiKeyHasher _hasher;
    private readonly TimeProvider _time;
    private readonly TimeSpan _cacheFor;
    private readonly ConcurrentDictionary<string, Cached> _cache = new(StringComparer.Ordinal);

    /// <summary>Creates the authenticator.</summary>
    /// <param name="lookup">Reads keys from the store.</param>
    /// <param name="hasher">Hashes presented keys with the install's pepper.</param>
    /// <param name="cacheFor">How long a looked-up key is trusted before it is read again.</param>
    /// <param name="timeProvider">The clock (expiry, cache).</param>
    public ApiKeyAuthenticator(IApiKeyLookup lookup, ApiKeyHasher hasher, TimeSpan cacheFor, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        ArgumentNullException.ThrowIfNull(hasher);
        ArgumentOutOfRangeException.ThrowIfLessThan(cacheFor, TimeSpan.Zero);
        _lookup = lookup;
        _hasher = hasher;
        _cacheFor = cacheFor;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The key a request presents: <c>Authorization: Bearer &lt;key&gt;</c> (OpenAI style) or <c>x-api-key</c> (Anthropic style).</summary>
    public static string? PresentedKey(string? authorization, string? xApiKey)
    {
        if (!string.IsNullOrWhiteSpace(authorization))
        {
            var value = authorization.Trim();
            return value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? value[7..].Trim() : value;
        }

        return string.IsNullOrWhiteSpace(xApiKey) ? null : xApiKey.Trim();
    }

    /// <summary>Authenticates <paramref name="presented"/> (null when the request sent no key).</summary>
    public async ValueTask<AuthenticationResult> AuthenticateAsync(string? presented, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return Fail(null, "missing_api_key", "No API key provided. Send it as 'Authorization: Bearer <key>' or 'x-api-key: <key>'.");
        }

        if (!ApiKeyFormat.TryParse(presented, out var id))
        {
            // Same work as a real check, so a malformed key is not told apart by timing.
            _hasher.Verify(presented, NoHash);
            return Fail(null, "invalid_api_key", "Incorrect API key provided: not a Switchyard key (sk-sy-…).");
        }

        var prefix = ApiKeyFormat.PrefixOf(id);
        ApiKeyCredential? credential;
        try
        {
            credential = await FindAsync(id, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DbException or TimeoutException or IOException or InvalidOperationException)
        {
            return new AuthenticationResult(null, new FailureInfo(503, "service_unavailable", "auth_unavailable", "API keys cannot be checked right now (the key store is unreachable); retry shortly.", TimeSpan.FromSeconds(1)), prefix);
        }

        if (credential is null || !_hasher.Verify(presented, credential.Hash))
        {
            if (credential is null)
            {
                _hasher.Verify(presented, NoHash);
            }

            return Fail(prefix, "invalid_api_key", $"Incorrect API key provided: {prefix}….");
        }

        var key = credential.Key;
        var now = _time.GetUtcNow();
        var refusal =
            key.RevokedAt is not null ? $"The API key {prefix} has been revoked." :
            !key.Enabled ? $"The API key {prefix} is disabled." :
            key.ExpiresAt is { } expires && expires <= now ? $"The API key {prefix} expired at {expires.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC." :
            key.TeamId is not null && credential.Team is null ? $"The API key {prefix} belongs to a team that no longer exists." :
            null;
        return refusal is null
            ? new AuthenticationResult(new RequestPrincipal(key, credential.Team), null, prefix)
            : Fail(prefix, "invalid_api_key", refusal);
    }

    private async ValueTask<ApiKeyCredential?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var now = _time.GetTimestamp();
        if (_cache.TryGetValue(id, out var cached) && _time.GetElapsedTime(cached.At, now) < _cacheFor)
        {
            return cached.Credential;
        }

        ApiKeyCredential? found;
        try
        {
            found = await _lookup.FindAsync(id, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DbException or TimeoutException or IOException or InvalidOperationException)
        {
            if (cached is not null && _time.GetElapsedTime(cached.At, now) < OfflineGrace)
            {
                return cached.Credential;
            }

            throw;
        }

        if (found is null)
        {
            _cache.TryRemove(id, out _);
            return null;
        }

        if (_cache.Count >= MaxCachedKeys)
        {
            _cache.Clear();
        }

        _cache[id] = new Cached(found, now);
        return found;
    }

    private static AuthenticationResult Fail(string? prefix, string code, string message) =>
        new(null, new FailureInfo(401, "invalid_request_error", code, message), prefix);

    private sealed record Cached(ApiKeyCredential Credential, long At);
}
