using Switchyard.Gateway.OpenAI;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Switchyard.Gateway;

/// <summary><c>GET /v1/models</c>: the configured models and routes in OpenAI's list format (only those the request's API key may use).</summary>
public static class ModelsEndpoint
{
    /// <summary>Writes the list.</summary>
    public static async Task HandleAsync(HttpContext context, SwitchyardRuntime runtime)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(runtime);
        var principal = ApiKeyEndpointFilter.PrincipalOf(context);
        context.Response.ContentType = "application/json";
        using (var w = new Utf8JsonWriter(context.Response.BodyWriter, WireJson.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("object", "list");
            w.WriteStartArray("data");
            foreach (var model in runtime.Catalog.Models.Where(m => principal?.MayRequest(m.Name) != false).OrderBy(m => m.Name, StringComparer.Ordinal))
            {
                w.WriteStartObject();
                w.WriteString("id", model.Name);
                w.WriteString("object", "model");
                w.WriteNumber("created", 0);
                w.WriteString("owned_by", model.ProviderId);
                w.WriteString("switchyard_kind", "model");
                w.WriteString("zone", model.Zone);
                if (runtime.Lifecycles.TryGetValue(model.Name, out var lifecycle))
                {
                    w.WriteString("pin", lifecycle.Pin.ToString().ToLowerInvariant());
                    if (lifecycle.Retires is { } retires)
                    {
                        w.WriteString("retires", retires.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
                    }
                }
                else if (runtime.EmbeddedModels.Any(e => string.Equals(e.ProviderId, model.ProviderId, StringComparison.OrdinalIgnoreCase)))
                {
                    w.WriteString("pin", runtime.EmbeddedModels.First(e => string.Equals(e.ProviderId, model.ProviderId, StringComparison.OrdinalIgnoreCase)).PinnedSha256 is null ? "unpinned_file" : "pinned");
                }

                w.WriteEndObject();
            }

            foreach (var (route, candidates) in runtime.Catalog.Routes.Where(r => principal?.MayRequest(r.Key) != false).OrderBy(r => r.Key, StringComparer.Ordinal))
            {
                w.WriteStartObject();
                w.WriteString("id", route);
                w.WriteString("object", "model");
                w.WriteNumber("created", 0);
                w.WriteString("owned_by", "switchyard");
                w.WriteString("switchyard_kind", "route");
                w.WriteStartArray("candidates");
                foreach (var c in candidates)
                {
                    w.WriteStringValue(c.Name);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
