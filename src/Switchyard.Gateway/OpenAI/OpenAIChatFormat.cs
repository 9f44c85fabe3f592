using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Switchyard.Routing;

namespace Switchyard.Gateway.OpenAI;

/// <summary>OpenAI Chat Completions responses for one request: the completion object, chunk events, the error envelope.</summary>
internal sealed class OpenAIChatFormat(string requestId, long created, bool includeUsage) : IWireFormat
{
    public Task WriteErrorAsync(HttpResponse response, FailureInfo failure) => OpenAIErrorWriter.WriteAsync(response, failure);

    public void WriteCompletion(Utf8JsonWriter writer, string model, ChatResponse response) =>
        ChatCompletionWriter.WriteCompletion(writer, requestId, created, model, response);

    public IWireStream OpenStream(PipeWriter body, string model) => new Stream(new ChatCompletionEventWriter(body, requestId, created, model), includeUsage);

    private sealed class Stream(ChatCompletionEventWriter events, bool includeUsage) : IWireStream
    {
        public async ValueTask WriteAsync(ChatResponseUpdate update, CancellationToken cancellationToken) => await events.WriteAsync(update, cancellationToken).ConfigureAwait(false);

        public ValueTask CompleteAsync(CancellationToken cancellationToken) => events.CompleteAsync(includeUsage, cancellationToken);

        public ValueTask FailAsync(FailureInfo failure, CancellationToken cancellationToken) => events.FailAsync(failure, cancellationToken);

        public void Dispose() => events.Dispose();
    }
}
