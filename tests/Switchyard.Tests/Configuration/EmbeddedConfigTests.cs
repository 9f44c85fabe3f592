using Switchyard.Configuration;
using Switchyard.Gateway;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Configuration;

public sealed class EmbeddedConfigTests
{
    private static string Write(string json)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("cfg-").FullName, "switchyard.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void EmbeddedProvider_RelativeModelPath_IsResolvedAgainstTheConfigFolder()
    {
        var path = Write("""
            { "Switchyard": {
                "Providers": { "engine": { "Kind": "embedded", "Model": "weights/tiny.gguf", "MaxParallel": 2, "QueueFullStatus": 429 } },
                "Models": { "tiny": { "Provider": "engine" } } } }
            """);
        var options = SwitchyardConfigLoader.Load(path);
        var engine = options.Providers["engine"];
        Assert.Equal(Path.Combine(Path.GetDirectoryName(path)!, "weights", "tiny.gguf"), engine.Model);
        Assert.Equal(2, engine.MaxParallel);
        Assert.Equal(429, engine.QueueFullStatus);
    }

    [Fact]
    public void EmbeddedProvider_Mistakes_AreNamedByKey()
    {
        var path = Write("""
            { "Switchyard": {
                "Providers": {
                  "a": { "Kind": "embedded", "BaseUrl": "http://127.0.0.1:1/v1", "MaxParallel": 0, "QueueFullStatus": 500 },
                  "b": { "Kind": "openai-compatible", "BaseUrl": "http://127.0.0.1:1/v1", "Model": "x.gguf" } } } }
            """);
        var ex = Assert.Throws<SwitchyardConfigurationException>(() => SwitchyardConfigLoader.Load(path));
        Assert.Contains(ex.Errors, e => e.StartsWith("Switchyard:Providers:a:Model: required", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.StartsWith("Switchyard:Providers:a:BaseUrl: an embedded provider", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.StartsWith("Switchyard:Providers:a:MaxParallel", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.StartsWith("Switchyard:Providers:a:QueueFullStatus", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.StartsWith("Switchyard:Providers:b:Model: only an embedded provider", StringComparison.Ordinal));
    }

    [Fact]
    public void NoConfigAtAll_ServesTheShippedModel_AndAddsHostedModelsOnlyWhenKeysExist()
    {
        var bare = SwitchyardConfigLoader.Load(null, null, applyDefaults: true, getEnvironmentVariable: _ => null);
        Assert.Equal(ProviderKinds.Embedded, bare.Providers["embedded"].Kind);
        Assert.True(File.Exists(bare.Providers["embedded"].Model), bare.Providers["embedded"].Model);
        Assert.Equal("self", bare.Models["local"].Zone);
        Assert.Equal(["local"], bare.Routes["default"].Candidates);
        Assert.Equal(["all-MiniLM-L6-v2", "local"], bare.Models.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(ModelKinds.Embedding, bare.Models["all-MiniLM-L6-v2"].Kind);
        Assert.Equal(ProviderKinds.MiniLm, bare.Providers["minilm"].Kind);

        var keys = new Dictionary<string, string> { ["OPENAI_API_KEY"] = "sk-x", ["ANTHROPIC_API_KEY"] = "sk-ant-x" };
        var withKeys = SwitchyardConfigLoader.Load(null, null, applyDefaults: true, getEnvironmentVariable: k => keys.GetValueOrDefault(k));
        Assert.Equal(["all-MiniLM-L6-v2", "claude-haiku-4-5", "gpt-4o-mini", "local"], withKeys.Models.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("us", withKeys.Providers["openai"].Zone);
        // Data does not leave the boundary by default: the default route stays on the embedded model.
        Assert.Equal(["local"], withKeys.Routes["default"].Candidates);
    }

    [Fact]
    public void ModelFileThatIsMissingOrNotAModel_IsAConfigurationErrorNamingTheKey()
    {
        var dir = Directory.CreateTempSubdirectory("cfg-").FullName;
        var notModel = Path.Combine(dir, "notes.gguf");
        File.WriteAllText(notModel, "this is not a model, just some text that is long enough");
        foreach (var file in new[] { Path.Combine(dir, "missing.gguf"), notModel })
        {
            var options = new SwitchyardOptions();
            options.Providers["engine"] = new ProviderConfig { Kind = ProviderKinds.Embedded, Model = file };
            options.Models["m"] = new ModelConfig { Provider = "engine" };
            options.Ledger.Path = Path.Combine(dir, "ledger.db");
            var ex = Assert.Throws<SwitchyardConfigurationException>(() => SwitchyardRuntime.Create(options));
            var error = Assert.Single(ex.Errors);
            Assert.StartsWith("Switchyard:Providers:engine:Model: cannot load the model:", error, StringComparison.Ordinal);
            Assert.Contains(file, error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task PinnedSha256_AMismatchRefusesStartUpWithBothHashes_AMatchStartsAndIsReportedPinned()
    {
        var shipped = Path.Combine(AppContext.BaseDirectory, EmbeddedDefaults.ShippedModel);
        var actual = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(shipped)));
        var wrong = new string('a', 64);
        var dir = Directory.CreateTempSubdirectory("pin-").FullName;

        SwitchyardOptions Options(string pin)
        {
            var options = new SwitchyardOptions();
            options.Providers["engine"] = new ProviderConfig { Kind = ProviderKinds.Embedded, Model = shipped, Sha256 = pin };
            options.Models["m"] = new ModelConfig { Provider = "engine" };
            options.Ledger.Path = Path.Combine(dir, "ledger.db");
            return options;
        }

        var ex = Assert.Throws<SwitchyardConfigurationException>(() => SwitchyardRuntime.Create(Options(wrong)));
        var error = Assert.Single(ex.Errors);
        Assert.StartsWith("Switchyard:Providers:engine:Sha256:", error, StringComparison.Ordinal);
        Assert.Contains(actual, error, StringComparison.Ordinal);
        Assert.Contains(wrong, error, StringComparison.Ordinal);

        await using var runtime = SwitchyardRuntime.Create(Options(actual.ToUpperInvariant()));
        var health = EmbeddedHealth.From(Assert.Single(runtime.EmbeddedModels));
        Assert.True(health.Pinned);
        Assert.Equal(actual, health.Sha256);

        var bad = Options("not-a-hash");
        var invalid = Assert.Throws<SwitchyardConfigurationException>(() => SwitchyardRuntime.Create(bad));
        Assert.Contains(invalid.Errors, e => e.StartsWith("Switchyard:Providers:engine:Sha256: 'not-a-hash' is not a SHA-256", StringComparison.Ordinal));
    }

    [Fact]
    public void RepositoryModel_IsTheOneShippedBesideTheBinaries()
    {
        var shipped = Path.Combine(AppContext.BaseDirectory, EmbeddedDefaults.ShippedModel);
        Assert.Equal(File.ReadAllBytes(Path.Combine(RepoPaths.Root, "models", "stories260K.gguf")), File.ReadAllBytes(shipped));
    }
}
