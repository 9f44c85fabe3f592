using System.Text.Encodings.Web;
using System.Text.Json;

namespace Switchyard.Gateway.OpenAI;

/// <summary>Writer settings for everything the gateway writes on the wire.</summary>
internal static class WireJson
{
    /// <summary>
    /// JSON responses are never embedded in HTML, so only the characters JSON itself requires are escaped
    /// (apostrophes and non-ASCII text go out as they are, as OpenAI's own API sends them).
    /// </summary>
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
