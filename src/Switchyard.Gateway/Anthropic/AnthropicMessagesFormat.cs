using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Switchyard.Routing;

namespace Switchyard.Gateway.Anthropic;

/// <summary>Anthropic Messages responses for one request: the message object, the event stream, the error envelope.</summary>
internal sealed class AnthropicMessagesFormat(string requestId) : IWireFormat
{
    public Task WriteErrorAsync(HttpResponse response, FailureInfo failure) => AnthropicErrorWriter.WriteAsync(response, failure);

    public void WriteCompletion(Utf8JsonWriter writer, string model, ChatResponse response) =>
        MessagesResponseWriter.Write(writer, requestId, model, response);

    public IWireStream OpenStream(PipeWriter body, string model) => new Stream(new MessagesEventWriter(body, requestId, model));

    private sealed class Stream(MessagesEventWriter events) : IWireStream
    {
        public async ValueTask WriteAsync(ChatResponseUpdate update, CancellationToken cancellationToken) => await events.WriteAsync(update, cancellationToken).ConfigureAwait(false);

        public ValueTask CompleteAsync(CancellationToken cancellationToken) => events.CompleteAsync(cancellationToken);

        public ValueTask FailAsync(FailureInfo failure, CancellationToken cancellationToken) => events.FailAsync(failure, cancellationToken);

        public void Dispose() => events.Dispose();
    }
}
