using System.Net.Http.Headers;
using Switchyard.Privacy.Egress;

namespace Switchyard.Providers;

/// <summary>
/// The last step before a provider's bytes leave the process: when the call goes to a zone outside the boundary, the
/// request body the provider client built is read and checked by the <see cref="EgressInspector"/>; a value the policy
/// keeps from that zone stops the request with a <see cref="PrivacyEgressException"/> (nothing is sent).
/// </summary>
/// <remarks>
/// The zone is the one the model client declared for this call (<see cref="EgressTarget.Current"/>) when it belongs to
/// this provider, and the provider's configured zone otherwise, so a call nobody declared is still checked.
/// </remarks>
public sealed class PrivacyEgressHandler : DelegatingHandler
{
    private readonly EgressInspector _inspector;
    private readonly string _providerId;
    private readonly string _providerZone;

    /// <param name="inspector">The check.</param>
    /// <param name="providerId">The provider this handler sends for.</param>
    /// <param name="providerZone">The provider's zone.</param>
    /// <param name="inner">The transport.</param>
    public PrivacyEgressHandler(EgressInspector inspector, string providerId, string providerZone, HttpMessageHandler inner)
        : base(inner)
    {
        ArgumentNullException.ThrowIfNull(inspector);
        _inspector = inspector;
        _providerId = providerId;
        _providerZone = providerZone;
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var target = EgressTarget.Current;
        string zone = target is not null && string.Equals(target.ProviderId, _providerId, StringComparison.OrdinalIgnoreCase) ? target.Zone : _providerZone;
        if (request.Content is { } content && !_inspector.IsInside(zone))
        {
            byte[] body = await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            _inspector.Check(body, zone, target?.ScannedClean);

            // The body was read: send exactly those bytes (a streamed content cannot be read twice).
            var replacement = new ByteArrayContent(body);
            foreach (KeyValuePair<string, IEnumerable<string>> header in content.Headers)
            {
                replacement.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            replacement.Headers.ContentLength = body.Length;
            request.Content = replacement;
            content.Dispose();
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
