using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Switchyard.Routing;

namespace Switchyard.Gateway;

/// <summary>The response side of one client wire format (OpenAI Chat Completions, Anthropic Messages) for one request.</summary>
internal interface IWireFormat
{
    /// <summary>Content type of a non-streamed answer.</summary>
    string ContentType => "application/json";

    /// <summary>Whether the format answers with embeddings (served by embedding models only) rather than chat.</summary>
    bool Embeddings => false;

    /// <summary>Writes a complete error response in the format's envelope.</summary>
    Task WriteErrorAsync(HttpResponse response, FailureInfo failure);

    /// <summary>Writes a non-streamed answer from <paramref name="model"/>.</summary>
    void WriteCompletion(Utf8JsonWriter writer, string model, ChatResponse response);

    /// <summary>Starts a streamed answer from <paramref name="model"/> on <paramref name="body"/>.</summary>
    IWireStream OpenStream(PipeWriter body, string model);
}

/// <summary>A streamed answer in one wire format.</summary>
internal interface IWireStream : IDisposable
{
    /// <summary>Writes one update.</summary>
    ValueTask WriteAsync(ChatResponseUpdate update, CancellationToken cancellationToken);

    /// <summary>Ends the stream cleanly.</summary>
    ValueTask CompleteAsync(CancellationToken cancellationToken);

    /// <summary>Ends the stream with an error event.</summary>
    ValueTask FailAsync(FailureInfo failure, CancellationToken cancellationToken);
}
