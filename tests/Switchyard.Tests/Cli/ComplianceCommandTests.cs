using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Cli;

/// <summary><c>switchyard compliance</c> run as the real executable against a configuration and a deployment file.</summary>
public sealed class ComplianceCommandTests : IDisposable
{
    private const string Config = """
        { "Switchyard": { "Providers": { "vllm": { "Kind": "openai-compatible", "BaseUrl": "http://127.0.0.1:8000/v1" }, "openai": { "Kind": "openai", "Zone": "us" } },
          "Models": { "llama": { "Provider": "vllm", "UpstreamModel": "meta-llama/Llama-3.1-8B-Instruct" },
                      "qwen": { "Provider": "vllm", "UpstreamModel": "Qwen/Qwen2.5-7B-Instruct" },
                      "gpt": { "Provider": "openai", "UpstreamModel": "gpt-4o-2024-08-06" } } } }
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("compliance-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(800_000_000, 3)] // over Llama 3.1's 700M cap: not allowed
    [InlineData(1_000_000, 0)]
    public async Task Verdicts_PerModel_WithTheClause_AndAnExitCodeForScripts(long users, int expected)
    {
        File.WriteAllText(Path.Combine(_dir, "switchyard.json"), Config);
        File.WriteAllText(Path.Combine(_dir, "dep.json"), $$"""{"monthly_active_users": {{users}}, "commercial": true}""");
        var (code, output, err) = await CliRunner.RunAsync(_dir, "compliance", "--deployment", "dep.json");
        Assert.True(code == expected, err + output);
        Assert.Contains("llama-3.1", output, StringComparison.Ordinal);
        Assert.Contains(users > 700_000_000 ? "NotAllowed" : "AllowedWithDuties", output, StringComparison.Ordinal);
        if (users > 700_000_000)
        {
            Assert.Contains("700 million monthly active", output.Replace("\n", " ", StringComparison.Ordinal).Replace("│", " ", StringComparison.Ordinal), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ABadDeployment_IsOneLineAndExit2()
    {
        File.WriteAllText(Path.Combine(_dir, "dep.json"), """{"monthly_active_users": "many"}""");
        var (code, _, err) = await CliRunner.RunAsync(_dir, "compliance", "--deployment", "dep.json");
        Assert.Equal(2, code);
        Assert.Single(err.Trim().Split('\n'));
    }
}
