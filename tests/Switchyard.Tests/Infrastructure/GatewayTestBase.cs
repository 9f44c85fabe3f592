using Switchyard.Configuration;
using Switchyard.Testing;

namespace Switchyard.Tests.Infrastructure;

/// <summary>Starts a <see cref="FakeUpstream"/> and a <see cref="TestGateway"/> in front of it for each test.</summary>
public abstract class GatewayTestBase : IAsyncLifetime
{
    private TestGateway? _gateway;

    internal FakeUpstream Upstream { get; private set; } = null!;

    internal TestGateway Gateway => _gateway ?? throw new InvalidOperationException("The gateway has not started.");

    public async Task InitializeAsync()
    {
        Upstream = await FakeUpstream.StartAsync();
        _gateway = await TestGateway.StartAsync(Upstream, Configure);
    }

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        await Upstream.DisposeAsync();
    }

    /// <summary>Adjusts the gateway's configuration before it starts.</summary>
    protected virtual void Configure(SwitchyardOptions options)
    {
    }
}
