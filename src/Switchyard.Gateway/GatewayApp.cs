using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Authorization;
using Switchyard.Configuration;
using Switchyard.Gateway.OpenAI;
using Switchyard.Routing;

namespace Switchyard.Gateway;

/// <summary>Builds the ASP.NET Core gateway host around a <see cref="SwitchyardRuntime"/>.</summary>
public static partial class GatewayApp
{
    /// <summary>The default listen address.</summary>
    public const string DefaultUrls = "http://127.0.0.1:4000";

    /// <summary>
    /// Builds (does not start) the web application. The runtime is owned by the app: stopping the app drains
    /// in-flight requests first, then flushes the ledger.
    /// </summary>
    /// <param name="runtime">The runtime to serve.</param>
    /// <param name="urls">Listen addresses, e.g. <c>http://127.0.0.1:4000</c>; port 0 picks a free port.</param>
    /// <param name="configureLogging">Optional logging setup.</param>
    public static WebApplication Build(SwitchyardRuntime runtime, string urls = DefaultUrls, Action<ILoggingBuilder>? configureLogging = null)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        // Switchyard's configuration is loaded and validated before the host exists, so the host gets none of its own:
        // no appsettings.json, and above all no file watcher on the working directory, where every ledger write
        // would wake it (measured: ~10% of CPU per request in bench/).
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseUrls(urls);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = runtime.Options.Limits.MaxRequestBodyBytes;
            k.AddServerHeader = false;
        });
        builder.Logging.ClearProviders();
        if (configureLogging is null)
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
            builder.Logging.SetMinimumLevel(LogLevel.Information);
            builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
            // A failed start (e.g. port in use) is reported by the caller in one line, not as a host stack trace.
            builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        }
        else
        {
            configureLogging(builder.Logging);
        }

        builder.Services.AddSingleton(runtime);
        builder.Services.AddSingleton<PipelineRunner>();
        builder.Services.AddSingleton(sp => new ChatCompletionsEndpoint(sp.GetRequiredService<SwitchyardRuntime>(), sp.GetRequiredService<PipelineRunner>()));
        builder.Services.AddSingleton(sp => new MessagesEndpoint(sp.GetRequiredService<SwitchyardRuntime>(), sp.GetRequiredService<PipelineRunner>()));
        builder.Services.AddSingleton(sp => new ResponsesEndpoint(sp.GetRequiredService<SwitchyardRuntime>(), sp.GetRequiredService<PipelineRunner>()));
        builder.Services.AddSingleton(sp => new EmbeddingsEndpoint(sp.GetRequiredService<SwitchyardRuntime>(), sp.GetRequiredService<PipelineRunner>()));
        // Registered before the server starts, so it stops after the server has drained in-flight requests.
        builder.Services.AddHostedService(sp => new RuntimeLifetime(sp.GetRequiredService<SwitchyardRuntime>()));

        var app = builder.Build();
        app.Use(CatchAllAsync);
        // Every endpoint says who may call it (a test walks them all): the /v1 API needs a key once keys are on.
        var v1 = app.MapGroup("/v1").WithMetadata(new RequiresApiKeyAttribute());
        if (string.Equals(ResolveAuthMode(runtime.Options.Auth.Mode, urls), AuthModes.Keys, StringComparison.Ordinal))
        {
            v1.AddEndpointFilter(new ApiKeyEndpointFilter(runtime, runtime.EnableApiKeys()));
        }

        v1.MapPost("/chat/completions", (HttpContext ctx, ChatCompletionsEndpoint endpoint) => endpoint.HandleAsync(ctx));
        v1.MapPost("/messages", (HttpContext ctx, MessagesEndpoint endpoint) => endpoint.HandleAsync(ctx));
        v1.MapPost("/responses", (HttpContext ctx, ResponsesEndpoint endpoint) => endpoint.HandleAsync(ctx));
        v1.MapPost("/embeddings", (HttpContext ctx, EmbeddingsEndpoint endpoint) => endpoint.HandleAsync(ctx));
        v1.MapPost("/messages/count_tokens", (HttpContext ctx, MessagesEndpoint endpoint) => endpoint.HandleCountTokensAsync(ctx));
        v1.MapGet("/models", (HttpContext ctx, SwitchyardRuntime rt) => ModelsEndpoint.HandleAsync(ctx, rt));
        AdminEndpoints.Map(app, runtime);
        app.MapGet("/healthz", (SwitchyardRuntime rt) => Results.Json(new HealthStatus("ok", rt.Catalog.Models.Count(), rt.Catalog.Routes.Count(), rt.EmbeddedModels.Select(EmbeddedHealth.From).ToArray()), GatewayJsonContext.Default.HealthStatus))
            .WithMetadata(new AllowAnonymousAttribute());
        app.MapFallback((HttpContext ctx) => OpenAIErrorWriter.WriteAsync(ctx.Response, 404, "invalid_request_error", "unknown_url", $"Unknown request URL: {ctx.Request.Method} {ctx.Request.Path}. Switchyard serves POST /v1/chat/completions, POST /v1/messages, POST /v1/messages/count_tokens, POST /v1/responses, POST /v1/embeddings, GET /v1/models and GET /healthz."))
            .WithMetadata(new AllowAnonymousAttribute());
        return app;
    }

    /// <summary>
    /// The auth mode in force: <c>keys</c> or <c>open</c> as configured, or for <c>auto</c>, <c>keys</c> whenever any of
    /// <paramref name="urls"/> listens beyond loopback (<c>0.0.0.0</c>, <c>*</c>, <c>+</c>, a host name or a LAN address).
    /// </summary>
    public static string ResolveAuthMode(string? configured, string urls)
    {
        var mode = configured?.Trim().ToLowerInvariant();
        if (mode is AuthModes.Keys or AuthModes.Open)
        {
            return mode;
        }

        return (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).All(IsLoopback) ? AuthModes.Open : AuthModes.Keys;
    }

    private static bool IsLoopback(string url)
    {
        var rest = url.Contains("://", StringComparison.Ordinal) ? url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..] : url;
        var host = rest.StartsWith('[') ? rest[1..Math.Max(1, rest.IndexOf(']', StringComparison.Ordinal))] : rest.Split(':', '/')[0];
        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (System.Net.IPAddress.TryParse(host, out var ip) && System.Net.IPAddress.IsLoopback(ip));
    }

    private static async Task CatchAllAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Switchyard.Gateway");
            LogUnhandled(logger, context.Request.Method, context.Request.Path, ex);
            context.Response.Clear();
            var failure = new FailureInfo(500, "server_error", "internal_error", "Internal error; see the gateway log.");
            await (context.Request.Path.StartsWithSegments("/v1/messages", StringComparison.OrdinalIgnoreCase)
                ? Anthropic.AnthropicErrorWriter.WriteAsync(context.Response, failure)
                : OpenAIErrorWriter.WriteAsync(context.Response, failure)).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error for {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, string method, PathString path, Exception exception);

    private sealed class RuntimeLifetime(SwitchyardRuntime runtime) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public async Task StopAsync(CancellationToken cancellationToken) => await runtime.DisposeAsync().ConfigureAwait(false);
    }
}
