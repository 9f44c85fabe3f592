using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Switchyard.Tests.Evaluation.Tasks;

/// <summary>
/// A loopback OpenAI Chat Completions server whose answer is computed per request by a callback (the prompt decides the
/// answer), recording every request. Unlike FakeUpstream it can answer each task differently and block a request
/// until the client goes away.
/// </summary>
internal sealed class ScriptedUpstream : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly List<ScriptedRequest> _requests = [];
    private readonly WebApplication _app;

    private ScriptedUpstream(WebApplication app, Func<ScriptedRequest, CancellationToken, Task<ScriptedReply>> reply)
    {
        _app = app;
        app.MapPost("/v1/chat/completions", async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            using var json = JsonDocument.Parse(body);
            var model = json.RootElement.GetProperty("model").GetString() ?? "";
            var lastUser = json.RootElement.GetProperty("messages").EnumerateArray()
                .Where(m => m.GetProperty("role").GetString() == "user")
                .Select(m => m.GetProperty("content").GetString() ?? "")
                .LastOrDefault() ?? "";
            var request = new ScriptedRequest(model, lastUser, body);
            lock (_gate)
            {
                _requests.Add(request);
            }

            ScriptedReply answer;
            try
            {
                answer = await reply(request, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                context.Abort();
                return;
            }

            context.Response.StatusCode = answer.Status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(answer.Status == 200 ? Completion(model, answer) : ErrorBody(answer.Status), context.RequestAborted);
        });
    }

    public Uri BaseUri { get; private set; } = null!;

    public IReadOnlyList<ScriptedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    public static async Task<ScriptedUpstream> StartAsync(Func<ScriptedRequest, CancellationToken, Task<ScriptedReply>> reply)
    {
        var app = Switchyard.Testing.LoopbackServer.CreateBuilder().Build();
        var upstream = new ScriptedUpstream(app, reply);
        await app.StartAsync();
        upstream.BaseUri = new Uri(Switchyard.Testing.LoopbackServer.BaseAddress(app), "v1/");
        return upstream;
    }

    public static Task<ScriptedUpstream> StartAsync(Func<ScriptedRequest, ScriptedReply> reply) =>
        StartAsync((request, _) => Task.FromResult(reply(request)));

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _app.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
        }

        await _app.DisposeAsync();
    }

    private static string Completion(string model, ScriptedReply reply) => JsonSerializer.Serialize(new
    {
        id = "chatcmpl-test",
        @object = "chat.completion",
        created = 0,
        model,
        choices = new[] { new { index = 0, message = new { role = "assistant", content = reply.Text }, finish_reason = "stop" } },
        usage = new { prompt_tokens = reply.InputTokens, completion_tokens = reply.OutputTokens, total_tokens = reply.InputTokens + reply.OutputTokens },
    });

    private static string ErrorBody(int status) =>
        "{\"error\":{\"message\":\"scripted failure " + status.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\",\"type\":\"server_error\",\"param\":null,\"code\":null}}";
}
