using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Switchyard.Configuration;
using Switchyard.Gateway;
using Switchyard.Storage.Ledger;
using Switchyard.Testing;

namespace Switchyard.Tests.Infrastructure;

/// <summary>
/// The real gateway on a loopback port in front of a <see cref="FakeUpstream"/>, with a ledger in a temp file.
/// Models: <c>local</c> and <c>backup</c> (OpenAI-compatible, zone self), <c>claude</c> (Anthropic, zone us);
/// route <c>default</c> = [local, backup]. Upstream model names are the model name + <c>-up</c>.
/// </summary>
internal sealed class TestGateway : IAsyncDisposable
{
    public static readonly ModelPrice LocalPrice = new() { Input = 0.5m, Output = 1.5m, CachedInput = 0.25m };
    public static readonly ModelPrice BackupPrice = new() { Input = 2.5m, Output = 10m, CachedInput = 1.25m };
    public static readonly ModelPrice ClaudePrice = new() { Input = 3m, Output = 15m, CachedInput = 0.3m };

    private readonly WebApplication _app;
    private readonly string _directory;
    private bool _stopped;
    private Switchyard.Storage.StoreDatabase? _readDatabase;

    private TestGateway(WebApplication app, SwitchyardRuntime runtime, string directory, Uri baseUri)
    {
        _app = app;
        Runtime = runtime;
        _directory = directory;
        BaseUri = baseUri;
        Http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(60) };
    }

    public SwitchyardRuntime Runtime { get; }

    public Uri BaseUri { get; }

    /// <summary>The gateway's OpenAI endpoint (<c>…/v1/</c>).</summary>
    public Uri OpenAIBaseUri => new(BaseUri, "v1/");

    public HttpClient Http { get; }

    /// <summary>The gateway's services (endpoint data sources, for instance).</summary>
    public IServiceProvider Services => _app.Services;

    public string LedgerPath => Runtime.Store.Database.Display;

    public static SwitchyardOptions DefaultOptions(FakeUpstream upstream, string ledgerPath)
    {
        var options = new SwitchyardOptions();
        options.Providers["fake-openai"] = new ProviderConfig { Kind = ProviderKinds.OpenAICompatible, BaseUrl = upstream.OpenAIBaseUri.ToString(), Zone = "self", MaxRetries = 0, TimeoutSeconds = 30 };
        options.Providers["fake-backup"] = new ProviderConfig { Kind = ProviderKinds.OpenAI, BaseUrl = upstream.OpenAIBaseUri.ToString(), ApiKey = "sk-test-backup", Zone = "us", MaxRetries = 0, TimeoutSeconds = 30 };
        options.Providers["fake-claude"] = new ProviderConfig { Kind = ProviderKinds.Anthropic, BaseUrl = upstream.BaseUri.ToString(), ApiKey = "sk-ant-test", Zone = "us", MaxRetries = 0, TimeoutSeconds = 30 };
        options.Models["local"] = new ModelConfig { Provider = "fake-openai", UpstreamModel = "local-up", Price = LocalPrice };
        options.Models["backup"] = new ModelConfig { Provider = "fake-backup", UpstreamModel = "backup-up", Price = BackupPrice };
        options.Models["claude"] = new ModelConfig { Provider = "fake-claude", UpstreamModel = "claude-up", Price = ClaudePrice };
        options.Routes["default"] = new RouteConfig { Candidates = ["local", "backup"] };
        options.Ledger.Path = ledgerPath;
        return options;
    }

    /// <summary>The key pepper every test gateway hashes API keys with (PostgreSQL needs one from the environment).</summary>
    public const string TestPepper = "c3dpdGNoeWFyZC10ZXN0LXBlcHBlci0zMi1ieXRlcy0hIQ==";

    /// <summary>The admin master key every test gateway accepts on <c>/admin</c> (from <c>SWITCHYARD_MASTER_KEY</c>).</summary>
    public const string TestMasterKey = "test-master-key-0123456789abcdef";

    /// <summary>The environment a test gateway sees: only the key pepper and the admin master key.</summary>
    public static string? Environment(string name) => name switch
    {
        "SWITCHYARD_KEY_PEPPER" => TestPepper,
        "SWITCHYARD_MASTER_KEY" => TestMasterKey,
        _ => null,
    };

    public static async Task<TestGateway> StartAsync(FakeUpstream upstream, Action<SwitchyardOptions>? configure = null, TimeProvider? timeProvider = null)
    {
        var directory = Directory.CreateTempSubdirectory("switchyard-test-").FullName;
        var options = DefaultOptions(upstream, Path.Combine(directory, "ledger.db"));
        configure?.Invoke(options);
        var runtime = SwitchyardRuntime.Create(options, timeProvider, Environment, new Random(42));
        var app = GatewayApp.Build(runtime, "http://127.0.0.1:0", logging => logging.SetMinimumLevel(LogLevel.Warning));
        await app.StartAsync();
        var address = app.Urls.First();
        return new TestGateway(app, runtime, directory, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    /// <summary>An official OpenAI SDK client for <paramref name="model"/> pointed at this gateway (no SDK retries).</summary>
    public OpenAI.Chat.ChatClient OpenAIClient(string model) =>
        new(model, new System.ClientModel.ApiKeyCredential("client-key"), new OpenAI.OpenAIClientOptions { Endpoint = OpenAIBaseUri, RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(0) });

    /// <summary>POSTs a raw JSON body to /v1/chat/completions.</summary>
    public Task<HttpResponseMessage> PostChatAsync(string json)
    {
        var content = new StringContent(json);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return Http.PostAsync("v1/chat/completions", content);
    }

    /// <summary>Stops the gateway gracefully (drains requests, flushes the ledger).</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _app.StopAsync();
        }
    }

    /// <summary>A connection to the gateway's database (SQLite file or PostgreSQL), usable after the gateway stopped.</summary>
    public System.Data.Common.DbConnection OpenDatabase() => (_readDatabase ??= Switchyard.Storage.StoreDatabase.From(Runtime.Options, Environment)).Open();

    /// <summary>A reader on the gateway's ledger (SQLite file or PostgreSQL database), usable after the gateway stopped.</summary>
    public LedgerReader OpenLedger() => new(_readDatabase ??= Switchyard.Storage.StoreDatabase.From(Runtime.Options, Environment));

    /// <summary>Stops the gateway and returns every ledger record, oldest first.</summary>
    public async Task<IReadOnlyList<Switchyard.Metering.LedgerRecord>> StopAndReadLedgerAsync()
    {
        await StopAsync();
        return [.. OpenLedger().Recent(100_000).Reverse()];
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
        Http.Dispose();
        if (_readDatabase is not null)
        {
            await _readDatabase.DisposeAsync();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
