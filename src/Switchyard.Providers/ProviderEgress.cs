using Switchyard.Privacy.Egress;

namespace Switchyard.Providers;

/// <summary>The egress check a provider's HTTP pipeline runs (see <see cref="PrivacyEgressHandler"/>).</summary>
/// <param name="Inspector">The check.</param>
/// <param name="ProviderId">The configured provider id.</param>
public sealed record ProviderEgress(EgressInspector Inspector, string ProviderId)
{
    /// <summary>The handler that checks payloads before <paramref name="transport"/> sends them to <paramref name="zone"/>.</summary>
    public PrivacyEgressHandler Handler(string zone, HttpMessageHandler transport) => new(Inspector, ProviderId, zone, transport);
}
