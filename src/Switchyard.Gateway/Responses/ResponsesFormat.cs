using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Switchyard.Gateway.OpenAI;
using Switchyard.Routing;

namespace Switchyard.Gateway.Responses;

/// <summary>OpenAI Responses API answers for one request: the response object, the event stream, OpenAI's error envelope.</summary>
internal sealed class ResponsesFormat(string requestId, long createdAt) : IWireFormat
{
    public Task WriteErrorAsync(HttpResponse response, FailureInfo failure) => OpenAIErrorWriter.WriteAsync(response, failure);

    public void WriteCompletion(Utf8JsonWriter writer, string model, ChatResponse response) =>
        ResponsesResponseWriter.Write(writer, requestId, createdAt, model, response);

    public IWireStream OpenStream(PipeWriter body, string model) => new Stream(new ResponsesEventWriter(body, requestId, createdAt, model));

    private sealed class Stream(ResponsesEventWriter events) : IWireStream
    {
        public async ValueTask WriteAsync(ChatResponseUpdate update, CancellationToken cancellationToken) => await events.WriteAsync(update, cancellationToken).ConfigureAwait(false);

        public ValueTask CompleteAsync(CancellationToken cancellationToken) => events.CompleteAsync(cancellationToken);

        public ValueTask FailAsync(FailureInfo failure, CancellationToken cancellationToken) => events.FailAsync(failure, cancellationToken);

        public void Dispose() => events.Dispose();
    }
}
