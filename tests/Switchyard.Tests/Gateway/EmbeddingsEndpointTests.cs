using System.ClientModel;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using OpenAI;
using OpenAI.Embeddings;
using Switchyard.Configuration;
using Switchyard.Testing;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Gateway;

/// <summary>
/// <c>POST /v1/embeddings</c> through the real gateway, driven by the official OpenAI .NET SDK's <see cref="EmbeddingClient"/>
/// (which asks for base64 vectors): served by an OpenAI-style upstream (fake: vector[0] = the input's length,
/// vector[1] = its index) and by all-MiniLM-L6-v2 in process; failover, the privacy boundary, the ledger and the
/// refusals of the wrong kind of model.
/// </summary>
public sealed class EmbeddingsEndpointTests : GatewayTestBase
{
    private static readonly ModelPrice EmbedPrice = new() { Input = 0.02m, Output = 0m };

    protected override void Configure(SwitchyardOptions options)
    {
        options.Providers["minilm"] = new ProviderConfig { Kind = ProviderKinds.MiniLm, Zone = "self" };
        options.Models["embed"] = new ModelConfig { Provider = "fake-openai", UpstreamModel = "embed-up", Kind = ModelKinds.Embedding, Price = EmbedPrice };
        options.Models["embed-hosted"] = new ModelConfig { Provider = "fake-backup", UpstreamModel = "embed-hosted-up", Kind = ModelKinds.Embedding, Price = EmbedPrice };
        options.Models["minilm"] = new ModelConfig { Provider = "minilm", Kind = ModelKinds.Embedding };
        options.Routes["embed-route"] = new RouteConfig { Candidates = ["embed-hosted", "embed"] };
        options.Routes["embed-private"] = new RouteConfig { Candidates = ["embed-hosted", "minilm"] };
    }

    private EmbeddingClient Client(string model) =>
        new(model, new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = Gateway.OpenAIBaseUri, RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(0) });

    [Fact]
    public async Task OfficialSdk_ServedByAnOpenAIStyleUpstream_VectorsInOrder_UsageAndCostRecorded()
    {
        var result = await Client("embed").GenerateEmbeddingsAsync(["alpha", "be", "gamma ray"], new EmbeddingGenerationOptions { Dimensions = 4 });
        var embeddings = result.Value;
        Assert.Equal(3, embeddings.Count);
        for (var i = 0; i < 3; i++)
        {
            var vector = embeddings[i].ToFloats().ToArray();
            Assert.Equal(4, vector.Length);
            Assert.Equal(new[] { "alpha", "be", "gamma ray" }[i].Length, vector[0]);
            Assert.Equal(i, vector[1]);
            Assert.Equal(i, embeddings[i].Index);
        }

        var tokens = 2 + 1 + 3; // ceil(length / 4) each
        Assert.Equal(tokens, embeddings.Usage.InputTokenCount);
        Assert.Equal("embed", embeddings.Model);

        var sent = Assert.Single(Upstream.Requests);
        Assert.Equal("/v1/embeddings", sent.Path);
        using var body = JsonDocument.Parse(sent.Body);
        Assert.Equal("embed-up", body.RootElement.GetProperty("model").GetString());
        Assert.Equal(["alpha", "be", "gamma ray"], body.RootElement.GetProperty("input").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(4, body.RootElement.GetProperty("dimensions").GetInt32());

        var row = Assert.Single(await Gateway.StopAndReadLedgerAsync());
        Assert.Equal(("embed", "embed", "ok", 200), (row.Requested, row.ServedModel, row.Status, row.HttpStatus));
        Assert.Equal((tokens, 0L), (row.InputTokens, row.OutputTokens));
        Assert.Equal(tokens * EmbedPrice.Input / 1_000_000m, row.Cost);
        Assert.StartsWith("emb-", row.RequestId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FloatEncoding_IsAJsonArray()
    {
        using var response = await PostAsync("v1/embeddings", """{"model":"embed","input":"hello","encoding_format":"float"}""");
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(text);
        var item = Assert.Single(doc.RootElement.GetProperty("data").EnumerateArray());
        Assert.Equal("embedding", item.GetProperty("object").GetString());
        Assert.Equal(JsonValueKind.Array, item.GetProperty("embedding").ValueKind);
        Assert.Equal(5, item.GetProperty("embedding")[0].GetSingle());
        Assert.Equal(2, doc.RootElement.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(2, doc.RootElement.GetProperty("usage").GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task FailingCandidate_FailsOverToTheNext()
    {
        Upstream.When("embed-hosted-up", FakeBehavior.Status(503, "overloaded"));
        var result = await Client("embed-route").GenerateEmbeddingsAsync(["one"]);
        Assert.Equal(3, result.Value[0].ToFloats().Span[0]);
        Assert.Equal(["embed-hosted-up", "embed-up"], Upstream.Requests.Select(r => r.Model));
        var row = Assert.Single(await Gateway.StopAndReadLedgerAsync());
        Assert.Equal(("embed-route", "embed"), (row.Requested, row.ServedModel));
        Assert.Contains("embed-hosted", row.DecisionJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DetectedValue_NeverReachesAHostedEmbeddingModel_TheInProcessModelServes()
    {
        const string Email = "jane.doe@example.com";
        var result = await Client("embed-private").GenerateEmbeddingsAsync(["plain words", $"mail {Email} today"]);
        Assert.Equal(384, result.Value[0].ToFloats().Length);
        Assert.Empty(Upstream.Requests); // the hosted candidate was never called, not even for the clean input
        var row = Assert.Single(await Gateway.StopAndReadLedgerAsync());
        Assert.Equal("minilm", row.ServedModel);
        Assert.Contains("not allowed", row.DecisionJson, StringComparison.Ordinal);

    }

    [Fact]
    public async Task InProcessMiniLm_RelatedTextsAreCloserThanUnrelated_UsageInItsOwnTokens()
    {
        var result = await Client("minilm").GenerateEmbeddingsAsync(["How do I reset my password?", "I forgot my password and cannot log in.", "The tomato harvest was late this year."]);
        var v = result.Value.Select(e => e.ToFloats().ToArray()).ToArray();
        Assert.All(v, x => Assert.Equal(384, x.Length));
        Assert.All(v, x => Assert.InRange(System.Numerics.Tensors.TensorPrimitives.Norm(x), 0.999f, 1.001f));
        var related = System.Numerics.Tensors.TensorPrimitives.Dot(v[0], v[1]);
        var unrelated = System.Numerics.Tensors.TensorPrimitives.Dot(v[0], v[2]);
        Assert.True(related > unrelated + 0.2f, $"related {related}, unrelated {unrelated}");
        Assert.InRange(result.Value.Usage.InputTokenCount, 3 * 3, 3 * 20); // WordPiece tokens with [CLS] and [SEP]
        Assert.Empty(Upstream.Requests);
        var row = Assert.Single(await Gateway.StopAndReadLedgerAsync());
        Assert.Equal((result.Value.Usage.InputTokenCount, 0m), (row.InputTokens, row.Cost));
    }

    public static TheoryData<string, string, int, string> Refusals() => new()
    {
        { "v1/embeddings", """{"model":"local","input":"x"}""", 400, "model_not_supported" },
        { "v1/embeddings", """{"model":"embed","input":[[1,2,3]]}""", 400, "unsupported_parameter" },
        { "v1/embeddings", """{"model":"embed","input":[1,2,3]}""", 400, "unsupported_parameter" },
        { "v1/embeddings", """{"model":"embed","input":""}""", 400, "invalid_value" },
        { "v1/embeddings", """{"model":"embed","input":[]}""", 400, "invalid_value" },
        { "v1/embeddings", """{"model":"embed"}""", 400, "missing_required_parameter" },
        { "v1/embeddings", """{"input":"x"}""", 400, "missing_required_parameter" },
        { "v1/embeddings", """{"model":"embed","input":"x","encoding_format":"int8"}""", 400, "invalid_value" },
        { "v1/embeddings", """{"model":"embed","input":"x","dimensions":0}""", 400, "invalid_value" },
        { "v1/embeddings", """{"model":"embed","input":"x","stream":true}""", 400, "unknown_parameter" },
        { "v1/embeddings", """{"model":"nope","input":"x"}""", 404, "model_not_found" },
        { "v1/embeddings", """{"model":"minilm","input":"x","dimensions":100}""", 400, "" },
        { "v1/chat/completions", """{"model":"embed","messages":[{"role":"user","content":"hi"}]}""", 400, "model_not_supported" },
        { "v1/responses", """{"model":"embed-route","input":"hi"}""", 400, "model_not_supported" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task WrongInput_OrWrongKindOfModel_IsAClear4xx_NothingSent(string path, string body, int status, string code)
    {
        using var response = await PostAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
        using var doc = JsonDocument.Parse(text);
        var error = doc.RootElement.GetProperty("error");
        if (code.Length > 0)
        {
            Assert.Equal(code, error.GetProperty("code").GetString());
        }

        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.Empty(Upstream.Requests);
        var row = Assert.Single(await Gateway.StopAndReadLedgerAsync());
        Assert.Equal(("error", status), (row.Status, row.HttpStatus));
    }

    [Fact]
    public async Task EmbeddingModel_OnMessages_IsRefusedInAnthropicsEnvelope()
    {
        using var response = await PostAsync("v1/messages", """{"model":"embed","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}""");
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var doc = JsonDocument.Parse(text);
        Assert.Equal("error", doc.RootElement.GetProperty("type").GetString());
        Assert.Equal("invalid_request_error", doc.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains("embedding model", doc.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Configuration_EmbeddingModelsNeedAnEmbeddingProvider_AndRoutesServeOneKind()
    {
        var options = new SwitchyardOptions();
        options.Providers["claude"] = new ProviderConfig { Kind = ProviderKinds.Anthropic, Zone = "us" };
        options.Providers["mini"] = new ProviderConfig { Kind = ProviderKinds.MiniLm, BaseUrl = "http://127.0.0.1:1/v1" };
        options.Providers["oai"] = new ProviderConfig { Kind = ProviderKinds.OpenAICompatible, BaseUrl = "http://127.0.0.1:1/v1" };
        options.Models["claude-embed"] = new ModelConfig { Provider = "claude", Kind = ModelKinds.Embedding };
        options.Models["mini-chat"] = new ModelConfig { Provider = "mini" };
        options.Models["odd"] = new ModelConfig { Provider = "oai", Kind = "rerank" };
        options.Models["emb"] = new ModelConfig { Provider = "oai", Kind = ModelKinds.Embedding, MaxOutputTokens = 10 };
        options.Models["chat"] = new ModelConfig { Provider = "oai" };
        options.Routes["mixed"] = new RouteConfig { Candidates = ["emb", "chat"] };
        options.Routes["emb-cascade"] = new RouteConfig { Candidates = ["emb"], Pseudonymize = true, Strategy = new RouteStrategyConfig { Kind = RouteStrategyKinds.Cascade } };
        var ex = Assert.Throws<SwitchyardConfigurationException>(() => SwitchyardOptionsValidator.ThrowIfInvalid(options));
        Assert.Contains("Switchyard:Models:claude-embed:Kind: an anthropic provider serves no embeddings; use an openai, openai-compatible or minilm provider.", ex.Errors);
        Assert.Contains("Switchyard:Models:mini-chat:Kind: a minilm provider serves only embeddings; set Kind to \"embedding\".", ex.Errors);
        Assert.Contains(ex.Errors, e => e.StartsWith("Switchyard:Models:odd:Kind: 'rerank' is not a model kind", StringComparison.Ordinal));
        Assert.Contains("Switchyard:Models:emb:MaxOutputTokens: an embedding model produces no output tokens; remove it.", ex.Errors);
        Assert.Contains("Switchyard:Providers:mini:BaseUrl: a minilm provider runs in process and has no URL; remove it.", ex.Errors);
        Assert.Contains("Switchyard:Routes:mixed:Candidates: mixes chat and embedding models; a route serves one kind.", ex.Errors);
        Assert.Contains(ex.Errors, e => e.StartsWith("Switchyard:Routes:emb-cascade:Strategy: an embedding route is tried in order", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.StartsWith("Switchyard:Routes:emb-cascade:Pseudonymize:", StringComparison.Ordinal));
    }

    private async Task<HttpResponseMessage> PostAsync(string path, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return await Gateway.Http.SendAsync(request);
    }
}
