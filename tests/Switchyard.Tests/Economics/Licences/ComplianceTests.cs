using Switchyard.Economics.Licences;

namespace Switchyard.Tests.Economics.Licences;

/// <summary>Matching models to licence families (API ids, repositories, GGUF metadata) and a table of deployments with their verdicts and clauses.</summary>
public sealed class ComplianceTests
{
    private static readonly LicenceCatalog Catalog = LicenceCatalog.LoadDefault();

    [Theory]
    [InlineData("gpt-4o-2024-08-06", "openai-gpt-4o")]
    [InlineData("claude-sonnet-4-5", "anthropic-claude")]
    [InlineData("meta-llama/Llama-3.1-8B-Instruct", "llama-3.1")]
    [InlineData("Qwen/Qwen2.5-72B-Instruct", "qwen2.5-72b")]
    [InlineData("Qwen/Qwen2.5-7B-Instruct", "qwen2.5")]
    [InlineData("allenai/OLMo-2-1124-7B", "olmo-2")]
    [InlineData("some-org/unknown-model-7b", null)]
    public void ModelIds_MatchTheirFamily(string model, string? family) =>
        Assert.Equal(family, Catalog.MatchModelId(model)?.Family);

    [Theory]
    [InlineData("Meta Llama 3.1 8B Instruct", "Meta-Llama-3.1", "8B", "llama-3.1")]
    [InlineData("Qwen2.5 3B Instruct", "Qwen2.5", "3B", "qwen2.5-3b")]
    [InlineData("Qwen2.5 1.5B Instruct", "Qwen2.5", "1.5B", "qwen2.5")]
    [InlineData("stories260K", null, null, null)]
    public void GgufMetadata_MatchesTheFamily_BySizeWhereTheLicenceDiffers(string name, string? basename, string? size, string? family) =>
        Assert.Equal(family, Catalog.MatchGguf(name, basename, size)?.Family);

    public static TheoryData<string, long, bool, bool, ComplianceVerdict, string> Deployments() => new()
    {
        // family, monthly active users, commercial, outputs train models → verdict, text the reasons mention
        { "llama-3.1", 800_000_000, true, false, ComplianceVerdict.NotAllowed, "700,000,000" },
        { "llama-3.1", 1_000_000, true, false, ComplianceVerdict.AllowedWithDuties, "Built with Llama" },
        { "qwen2.5-72b", 150_000_000, true, false, ComplianceVerdict.NotAllowed, "100,000,000" },
        { "qwen2.5", 150_000_000, true, false, ComplianceVerdict.AllowedWithDuties, "Apache-2.0" }, // no cap; notices when redistributing
        { "olmo-2", 5_000_000_000, true, true, ComplianceVerdict.AllowedWithDuties, "Apache-2.0" },
        { "qwen2.5-3b", 10, true, false, ComplianceVerdict.NotAllowed, "commercial" },
    };

    [Theory]
    [MemberData(nameof(Deployments))]
    public void Deployments_GetTheirVerdict_WithTheClauseBehindIt(string family, long users, bool commercial, bool outputsTrain, ComplianceVerdict verdict, string mentions)
    {
        var entry = Assert.Single(Catalog.Entries, e => e.Family == family);
        var result = Compliance.Evaluate(entry, new Deployment(users, commercial, OfferedToThirdParties: true, outputsTrain));
        Assert.True(verdict == result.Verdict, $"{family}: {result.Verdict}: {string.Join(" | ", result.Reasons)}");
        Assert.Contains(result.Reasons, r => r.Contains(mentions, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Serve_WarnsAtStartUp_WhenAConfiguredModelsLicenceForbidsTheDeployment()
    {
        var options = new Switchyard.Configuration.SwitchyardOptions();
        options.Providers["vllm"] = new Switchyard.Configuration.ProviderConfig { Kind = Switchyard.Configuration.ProviderKinds.OpenAICompatible, BaseUrl = "http://127.0.0.1:9/v1" };
        options.Models["llama"] = new Switchyard.Configuration.ModelConfig { Provider = "vllm", UpstreamModel = "meta-llama/Llama-3.1-8B-Instruct" };
        options.Models["qwen"] = new Switchyard.Configuration.ModelConfig { Provider = "vllm", UpstreamModel = "Qwen/Qwen2.5-7B-Instruct" };
        options.Compliance.MonthlyActiveUsers = 800_000_000;
        options.Ledger.Path = Path.Combine(Directory.CreateTempSubdirectory("compliance-").FullName, "ledger.db");
        var log = new List<string>();
        await using var runtime = Switchyard.Gateway.SwitchyardRuntime.Create(options, log: log.Add);
        Assert.Contains(log, l => l.StartsWith("Compliance: model 'llama' (Llama 3.1 Community License Agreement) is not allowed for this deployment: 800,000,000 monthly active users", StringComparison.Ordinal));
        Assert.DoesNotContain(log, l => l.Contains("'qwen'", StringComparison.Ordinal));
    }

    [Fact]
    public void AnUnknownLicence_IsUnknown_NeverAllowed() =>
        Assert.Equal(ComplianceVerdict.Unknown, Compliance.Evaluate(null, new Deployment(10, true, true, false)).Verdict);

    [Fact]
    public void EveryEntry_CitesSources_AndHasALevel()
    {
        Assert.True(Catalog.Entries.Count >= 20);
        Assert.All(Catalog.Entries, e =>
        {
            Assert.NotEmpty(e.Sources);
            Assert.Contains(e.OpennessLevel, new[] { "closed", "open-weight", "open-source" });
            Assert.All(e.Clauses, c => Assert.StartsWith("http", c.Source, StringComparison.Ordinal));
        });
    }
}
