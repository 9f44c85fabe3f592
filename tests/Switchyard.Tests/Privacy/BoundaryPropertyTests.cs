using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Switchyard.Configuration;
using Switchyard.Privacy;
using Switchyard.PrivacyBench.Corpus;
using Switchyard.Testing;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Privacy;

/// <summary>
/// The boundary as a property: 2,000 generated conversations (Bogus, many locales) with labelled values injected at random
/// places — system prompt, earlier turns, tool-call arguments, tool results, the last message — sent through the real
/// gateway on a route that tries a hosted model (zone us) before an inside one. Whatever the scanner detects in a
/// conversation never reaches the hosted upstream, every request is answered, and the ledger has one record each.
/// </summary>
public sealed class BoundaryPropertyTests : IAsyncLifetime
{
    private const int Conversations = 2000;
    private FakeUpstream _upstream = null!;

    public async Task InitializeAsync() => _upstream = await FakeUpstream.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    [Fact]
    public async Task HostedUpstreamNeverReceivesADetectedValue()
    {
        await using var gateway = await TestGateway.StartAsync(_upstream, o => o.Routes["hosted-first"] = new RouteConfig { Candidates = ["backup", "local"] });
        var scanner = PrivacyScanner.CreateDefault();
        var corpus = new PrivacyCorpus(20261129);
        var random = new Random(7);
        int restricted = 0;

        for (int i = 0; i < Conversations; i++)
        {
            var (body, texts) = Conversation(corpus, random);
            // The guard reads each text alone and the messages' texts joined by line breaks (values split across them).
            bool sensitive = texts.Any(t => scanner.Scan(t).Count > 0) || scanner.Scan(string.Join('\n', texts)).Count > 0;
            restricted += sensitive ? 1 : 0;
            int before = _upstream.Requests.Count;

            using var response = await gateway.PostChatAsync(body);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var received = _upstream.Requests.Skip(before).ToList();
            Assert.Equal(sensitive ? "local-up" : "backup-up", Assert.Single(received).Model);
        }

        // Nothing the scanner can see is in any body the hosted upstream received (checked on the decoded strings).
        foreach (var hosted in _upstream.Requests.Where(r => r.Model == "backup-up"))
        {
            foreach (var text in Strings(JsonNode.Parse(hosted.Body)))
            {
                Assert.Empty(scanner.Scan(text));
            }
        }

        Assert.InRange(restricted, Conversations / 5, Conversations * 4 / 5); // both paths well exercised
        var records = await gateway.StopAndReadLedgerAsync();
        Assert.Equal(Conversations, records.Count);
        Assert.All(records, r => Assert.Equal("ok", r.Status));
    }

    /// <summary>A conversation in OpenAI's wire format, and every text in it.</summary>
    private static (string Body, List<string> Texts) Conversation(PrivacyCorpus corpus, Random random)
    {
        var texts = new List<string>();

        // About 60 % of conversations carry labelled values, somewhere in them; the rest only filler and look-alikes.
        bool inject = random.Next(10) < 6;
        string Text()
        {
            bool labelled = inject && random.Next(3) == 0;
            LabelledSample sample = corpus.Next();
            while ((sample.Labels.Count > 0) != labelled)
            {
                sample = corpus.Next();
            }

            texts.Add(sample.Text);
            return sample.Text;
        }

        var messages = new JsonArray();
        if (random.Next(2) == 0)
        {
            messages.Add(new JsonObject { ["role"] = "system", ["content"] = Text() });
        }

        int turns = random.Next(0, 3);
        for (int t = 0; t < turns; t++)
        {
            messages.Add(new JsonObject { ["role"] = "user", ["content"] = Text() });
            messages.Add(new JsonObject { ["role"] = "assistant", ["content"] = Text() });
        }

        if (random.Next(3) == 0)
        {
            string id = "call_" + random.Next(1000, 9999).ToString(System.Globalization.CultureInfo.InvariantCulture);
            texts.Add("look it up");
            var arguments = new JsonObject { ["query"] = Text() }.ToJsonString();
            messages.Add(new JsonObject { ["role"] = "user", ["content"] = "look it up" });
            messages.Add(new JsonObject
            {
                ["role"] = "assistant",
                ["content"] = null,
                ["tool_calls"] = new JsonArray(new JsonObject { ["id"] = id, ["type"] = "function", ["function"] = new JsonObject { ["name"] = "lookup", ["arguments"] = arguments } }),
            });
            messages.Add(new JsonObject { ["role"] = "tool", ["tool_call_id"] = id, ["content"] = Text() });
        }

        messages.Add(new JsonObject { ["role"] = "user", ["content"] = Text() });
        var body = new JsonObject { ["model"] = "hosted-first", ["messages"] = messages };
        return (body.ToJsonString(), texts);
    }

    private static IEnumerable<string> Strings(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (_, value) in o)
                {
                    foreach (var s in Strings(value))
                    {
                        yield return s;
                    }
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    foreach (var s in Strings(item))
                    {
                        yield return s;
                    }
                }

                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                var text = v.GetValue<string>();
                yield return text;
                if (text.StartsWith('{'))
                {
                    // Tool-call arguments travel as a JSON string: look inside it too.
                    JsonNode? inner = null;
                    try
                    {
                        inner = JsonNode.Parse(text);
                    }
                    catch (JsonException)
                    {
                    }

                    foreach (var s in Strings(inner))
                    {
                        yield return s;
                    }
                }

                break;
        }
    }
}
