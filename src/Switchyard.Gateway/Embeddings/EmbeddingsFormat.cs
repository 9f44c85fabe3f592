using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Switchyard.Embedding;
using Switchyard.Gateway.OpenAI;
using Switchyard.Routing;

namespace Switchyard.Gateway.Embeddings;

/// <summary>The response side of <c>POST /v1/embeddings</c>: OpenAI's list of embeddings and its error envelope. Never streamed.</summary>
internal sealed class EmbeddingsFormat(bool base64) : IWireFormat
{
    /// <inheritdoc />
    public bool Embeddings => true;

    /// <inheritdoc />
    public Task WriteErrorAsync(HttpResponse response, FailureInfo failure) => OpenAIErrorWriter.WriteAsync(response, failure);

    /// <inheritdoc />
    public void WriteCompletion(Utf8JsonWriter writer, string model, ChatResponse response)
    {
        var vectors = response.Messages.SelectMany(m => m.Contents).OfType<EmbeddingsContent>().FirstOrDefault()?.Vectors ?? [];
        writer.WriteStartObject();
        writer.WriteString("object", "list");
        writer.WriteStartArray("data");
        for (var i = 0; i < vectors.Count; i++)
        {
            writer.WriteStartObject();
            writer.WriteString("object", "embedding");
            writer.WriteNumber("index", i);
            if (base64)
            {
                writer.WriteBase64String("embedding", MemoryMarshal.AsBytes(vectors[i].Span));
            }
            else
            {
                writer.WriteStartArray("embedding");
                foreach (var v in vectors[i].Span)
                {
                    writer.WriteNumberValue(v);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteString("model", model);
        var input = response.Usage?.InputTokenCount ?? 0;
        writer.WriteStartObject("usage");
        writer.WriteNumber("prompt_tokens", input);
        writer.WriteNumber("total_tokens", input);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <inheritdoc />
    public IWireStream OpenStream(PipeWriter body, string model) =>
        throw new NotSupportedException("Embeddings are never streamed.");
}
