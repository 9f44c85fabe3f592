using Microsoft.Extensions.AI;

namespace Switchyard.Providers;

/// <summary>Creates clients for the models of one provider; owns the provider's SDK client.</summary>
public interface IProviderClientFactory : IDisposable
{
    /// <summary>A client bound to one upstream model, with failures translated to <c>ProviderException</c>.</summary>
    IChatClient CreateChatClient(string upstreamModel);
}
