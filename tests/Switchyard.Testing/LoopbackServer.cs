using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Switchyard.Testing;

/// <summary>The minimal Kestrel host every loopback test server here is built on: a free loopback port, routing, nothing else.</summary>
public static class LoopbackServer
{
    /// <summary>A builder listening on a free loopback port, with routing; add services, build, map, start.</summary>
    public static WebApplicationBuilder CreateBuilder(string? applicationName = null)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = applicationName });
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(options =>
        {
            options.AddServerHeader = false;
            options.Listen(IPAddress.Loopback, 0);
        });
        builder.Services.AddRoutingCore();
        return builder;
    }

    /// <summary>The started app's address, ending in '/'.</summary>
    public static Uri BaseAddress(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new Uri(address.TrimEnd('/') + "/");
    }
}
