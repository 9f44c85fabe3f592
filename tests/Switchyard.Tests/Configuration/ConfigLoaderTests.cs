using Microsoft.Extensions.Configuration;
using Switchyard.Configuration;
using Switchyard.Gateway;

namespace Switchyard.Tests.Configuration;

public sealed class ConfigLoaderTests
{
    private static string Write(string json)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("cfg-").FullName, "switchyard.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void IssueExample_LoadsWithZonesAndRoutes()
    {
        var path = Write("""
            { "Switchyard": {
                "Providers": {
                  "vllm":   { "Kind": "openai-compatible", "BaseUrl": "http://127.0.0.1:8000/v1", "Zone": "self" },
                  "openai": { "Kind": "openai", "BaseUrl": "https://api.openai.com/v1", "ApiKeyEnv": "OPENAI_API_KEY", "Zone": "us" },
                  "claude": { "Kind": "anthropic", "BaseUrl": "https://api.anthropic.com", "ApiKeyEnv": "ANTHROPIC_API_KEY", "Zone": "us" } },
                "Models": {
                  "llama-3.1-8b": { "Provider": "vllm", "UpstreamModel": "meta-llama/Llama-3.1-8B-Instruct" },
                  "gpt-4o":       { "Provider": "openai", "UpstreamModel": "gpt-4o-2024-08-06", "Price": { "Input": 2.5, "Output": 10, "CachedInput": 1.25 } },
                  "claude-sonnet":{ "Provider": "claude", "UpstreamModel": "claude-sonnet-4-20250514" } },
                "Routes": { "default": { "Candidates": ["llama-3.1-8b", "gpt-4o"] } },
                "Ledger": { "Path": "switchyard.db" } } }
            """);
        var options = SwitchyardConfigLoader.Load(path);
        Assert.Equal(3, options.Providers.Count);
        Assert.Equal(["llama-3.1-8b", "gpt-4o"], options.Routes["default"].Candidates);
        Assert.Equal(2.5m, options.Models["gpt-4o"].Price!.Input);
        Assert.Equal(1.25m, options.Models["GPT-4O"].Price!.CachedInput); // names are case-insensitive
    }

    [Fact]
    public void EnvironmentOverridesFile()
    {
        var path = Write("""{ "Switchyard": { "Providers": { "p": { "Kind": "openai-compatible", "BaseUrl": "http://127.0.0.1:1/v1" } }, "Models": { "m": { "Provider": "p" } } } }""");
        var env = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SWITCHYARD:Providers:p:BaseUrl"] = "http://127.0.0.1:2/v1",
            ["SWITCHYARD:Ledger:Path"] = "/tmp/other.db",
        }).Build();
        var options = SwitchyardConfigLoader.Load(path, env);
        Assert.Equal("http://127.0.0.1:2/v1", options.Providers["p"].BaseUrl);
        Assert.Equal("/tmp/other.db", options.Ledger.Path);
    }

    [Fact]
    public void EnvironmentVariableSpelling_MapsToKeys()
    {
        var env = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>()).Build();
        Environment.SetEnvironmentVariable("SWITCHYARD__Limits__RequestTimeoutSeconds", "42");
        try
        {
            var fromEnv = new ConfigurationBuilder().AddEnvironmentVariables().Build();
            Assert.Equal(42, SwitchyardConfigLoader.Load(null, fromEnv).Limits.RequestTimeoutSeconds);
        }
        finally
        {
            Environment.SetEnvironmentVariable("SWITCHYARD__Limits__RequestTimeoutSeconds", null);
        }
    }

    [Fact]
    public void EveryProblemIsReported_EachNamingItsKey()
    {
        var path = Write("""
            { "Switchyard": {
                "Providers": {
                  "a": { "Kind": "ollama-ish", "BaseUrl": "not a url" },
                  "b": { "Kind": "openai", "TimeoutSeconds": 0 } },
                "Models": { "m": { "Provider": "nope" }, "n": { }, "dup": { "Provider": "b", "Price": { "Input": -1 } } },
                "Routes": { "r": { "Candidates": ["m", "ghost"] }, "empty": { "Candidates": [] }, "dup": { "Candidates": ["m"] } } } }
            """);
        var ex = Assert.Throws<SwitchyardConfigurationException>(() => SwitchyardConfigLoader.Load(path));
        var expected = new[]
        {
            "Switchyard:Providers:a:Kind:",
            "Switchyard:Providers:a:BaseUrl:",
            "Switchyard:Providers:b:Zone:",
            "Switchyard:Providers:b:TimeoutSeconds:",
            "Switchyard:Models:m:Provider: 'nope'",
            "Switchyard:Models:n:Provider: required",
            "Switchyard:Models:dup:Price:Input:",
            "Switchyard:Routes:r:Candidates:1: 'ghost'",
            "Switchyard:Routes:empty:Candidates:",
            "Switchyard:Routes:dup: 'dup' is also a model name",
        };
        foreach (var prefix in expected)
        {
            Assert.Contains(ex.Errors, e => e.StartsWith(prefix, StringComparison.Ordinal));
        }

        Assert.Equal(expected.Length, ex.Errors.Count);
    }

    [Fact]
    public void WrongType_NamesTheKey()
    {
        var path = Write("""{ "Switchyard": { "Limits": { "MaxRequestBodyBytes": "lots" } } }""");
        var ex = Assert.Throws<SwitchyardConfigurationException>(() => SwitchyardConfigLoader.Load(path));
        Assert.Contains("Switchyard:Limits:MaxRequestBodyBytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MisspelledKey_IsAnError()
    {
        var path = Write("""{ "Switchyard": { "Provders": { } } }""");
        var ex = Assert.Throws<SwitchyardConfigurationException>(() => SwitchyardConfigLoader.Load(path));
        Assert.Contains("Provders", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BrokenJson_NamesTheFile()
    {
        var path = Write("""{ "Switchyard": { """);
        var ex = Assert.Throws<SwitchyardConfigurationException>(() => SwitchyardConfigLoader.Load(path));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingConfigFile_IsAnError_ButNoFileAtAllIsFine()
    {
        var dir = Directory.CreateTempSubdirectory("cfg-").FullName;
        Assert.Throws<SwitchyardConfigurationException>(() => SwitchyardConfigLoader.ResolvePath("missing.json", dir));
        Assert.Null(SwitchyardConfigLoader.ResolvePath(null, dir));
        File.WriteAllText(Path.Combine(dir, "switchyard.json"), "{}");
        Assert.Equal(Path.Combine(dir, "switchyard.json"), SwitchyardConfigLoader.ResolvePath(null, dir));
    }
}
