using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchyard.Access;
using Switchyard.Configuration;
using Switchyard.Gateway.OpenAI;
using Switchyard.Storage.Access;

namespace Switchyard.Gateway;

/// <summary>
/// The admin API under <c>/admin</c>: teams, virtual keys and the global budget, on the same <see cref="KeyStore"/> the
/// CLI uses. Every endpoint needs the master key (the variable named by <c>Auth:MasterKeyEnv</c>) as
/// <c>Authorization: Bearer</c> or <c>x-api-key</c>; while that variable is unset the API does not exist (404). Errors
/// come in OpenAI's envelope: 400 bad JSON or values, 401 no or wrong master key, 404 unknown id, 409 refused by the
/// store's state, 503 store unreachable.
/// </summary>
internal static partial class AdminEndpoints
{
    private const string LoggerCategory = "Switchyard.Gateway.Admin";

    private static readonly string[] TeamCreateFields = ["name", "models", "budgets", "rpm", "tpm", "metadata"];
    private static readonly string[] TeamUpdateFields = TeamCreateFields;
    private static readonly string[] KeyCreateFields = ["name", "team", "models", "data_classes", "budgets", "rpm", "tpm", "expires_at", "metadata", "budget_blocks_free"];
    private static readonly string[] KeyUpdateFields = ["name", "models", "data_classes", "budgets", "rpm", "tpm", "expires_at", "metadata", "budget_blocks_free", "enabled"];
    private static readonly string[] BudgetFields = ["period", "limit_usd"];

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 16, AllowDuplicateProperties = false };

    /// <summary>Maps the admin endpoints on <paramref name="app"/>, each carrying <see cref="RequiresMasterKeyAttribute"/> and the master key check.</summary>
    /// <param name="app">The application's routes.</param>
    /// <param name="runtime">The runtime whose key store and master key the endpoints use.</param>
    public static void Map(IEndpointRouteBuilder app, SwitchyardRuntime runtime)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(runtime);
        var admin = app.MapGroup("/admin").WithMetadata(new RequiresMasterKeyAttribute());
        admin.AddEndpointFilter(new MasterKeyFilter(runtime));

        // Two parameters each, so every handler goes through the delegate factory (and the filter) rather than binding as a RequestDelegate.
        admin.MapPost("/teams", (HttpContext ctx, SwitchyardRuntime rt) => RunAsync(ctx, rt, CreateTeamAsync));
        admin.MapGet("/teams", (HttpContext ctx, SwitchyardRuntime rt) => RunAsync(ctx, rt, ListTeamsAsync));
        admin.MapGet("/teams/{idOrName}", (HttpContext ctx, string idOrName) => RunAsync(ctx, runtime, (c, s, r) => GetTeamAsync(c, s, idOrName)));
        admin.MapPatch("/teams/{idOrName}", (HttpContext ctx, string idOrName) => RunAsync(ctx, runtime, (c, s, r) => UpdateTeamAsync(c, s, idOrName)));
        admin.MapDelete("/teams/{idOrName}", (HttpContext ctx, string idOrName) => RunAsync(ctx, runtime, (c, s, r) => DeleteTeamAsync(c, s, idOrName)));

        admin.MapPost("/keys", (HttpContext ctx, SwitchyardRuntime rt) => RunAsync(ctx, rt, CreateKeyAsync));
        admin.MapGet("/keys", (HttpContext ctx, SwitchyardRuntime rt) => RunAsync(ctx, rt, ListKeysAsync));
        admin.MapGet("/keys/{id}", (HttpContext ctx, string id) => RunAsync(ctx, runtime, (c, s, r) => GetKeyAsync(c, s, r, id)));
        admin.MapPatch("/keys/{id}", (HttpContext ctx, string id) => RunAsync(ctx, runtime, (c, s, r) => UpdateKeyAsync(c, s, r, id)));
        admin.MapPost("/keys/{id}/revoke", (HttpContext ctx, string id) => RunAsync(ctx, runtime, (c, s, r) => RevokeKeyAsync(c, s, r, id)));

        admin.MapPut("/budgets/global", (HttpContext ctx, SwitchyardRuntime rt) => RunAsync(ctx, rt, SetGlobalBudgetAsync));
    }

    private static async Task<IResult> CreateTeamAsync(HttpContext ctx, KeyStore store, SwitchyardRuntime runtime)
    {
        var body = await Body.ReadAsync(ctx, "team", TeamCreateFields).ConfigureAwait(false);
        var spec = new TeamSpec(body.RequiredString("name"))
        {
            AllowedModels = body.Strings("models"),
            Budgets = body.Budgets("budgets") ?? [],
            Rpm = body.Int32("rpm"),
            Tpm = body.Int64("tpm"),
            Metadata = body.Metadata("metadata"),
        };
        var team = await store.CreateTeamAsync(spec, ctx.RequestAborted).ConfigureAwait(false);
        ctx.Response.Headers.Location = "/admin/teams/" + team.Id;
        return Json(AdminTeam.From(team), AdminJsonContext.Default.AdminTeam, StatusCodes.Status201Created);
    }

    private static async Task<IResult> ListTeamsAsync(HttpContext ctx, KeyStore store, SwitchyardRuntime runtime)
    {
        var teams = await store.ListTeamsAsync(ctx.RequestAborted).ConfigureAwait(false);
        return Json(new AdminTeamList([.. teams.Select(AdminTeam.From)]), AdminJsonContext.Default.AdminTeamList);
    }

    private static async Task<IResult> GetTeamAsync(HttpContext ctx, KeyStore store, string idOrName) =>
        await store.GetTeamAsync(idOrName, ctx.RequestAborted).ConfigureAwait(false) is { } team
            ? Json(AdminTeam.From(team), AdminJsonContext.Default.AdminTeam)
            : TeamNotFound(idOrName);

    private static async Task<IResult> UpdateTeamAsync(HttpContext ctx, KeyStore store, string idOrName)
    {
        var body = await Body.ReadAsync(ctx, "team update", TeamUpdateFields).ConfigureAwait(false);
        var update = new TeamUpdate
        {
            Name = body.Has("name") ? body.RequiredString("name") : null,
            AllowedModels = body.Strings("models"),
            AllModels = body.IsNull("models"),
            Rpm = body.Int32("rpm"),
            ClearRpm = body.IsNull("rpm"),
            Tpm = body.Int64("tpm"),
            ClearTpm = body.IsNull("tpm"),
            Budgets = body.Has("budgets") ? body.Budgets("budgets") ?? [] : null,
            Metadata = body.Has("metadata") ? body.Metadata("metadata") ?? new Dictionary<string, string>() : null,
        };
        return await store.UpdateTeamAsync(idOrName, update, ctx.RequestAborted).ConfigureAwait(false) is { } team
            ? Json(AdminTeam.From(team), AdminJsonContext.Default.AdminTeam)
            : TeamNotFound(idOrName);
    }

    private static async Task<IResult> DeleteTeamAsync(HttpContext ctx, KeyStore store, string idOrName) =>
        await store.DeleteTeamAsync(idOrName, ctx.RequestAborted).ConfigureAwait(false)
            ? Results.NoContent()
            : TeamNotFound(idOrName);

    private static async Task<IResult> CreateKeyAsync(HttpContext ctx, KeyStore store, SwitchyardRuntime runtime)
    {
        var body = await Body.ReadAsync(ctx, "key", KeyCreateFields).ConfigureAwait(false);
        var spec = new KeySpec(body.RequiredString("name"))
        {
            Team = body.String("team"),
            AllowedModels = body.Strings("models"),
            DataClasses = body.Strings("data_classes") ?? [],
            Budgets = body.Budgets("budgets") ?? [],
            Rpm = body.Int32("rpm"),
            Tpm = body.Int64("tpm"),
            ExpiresAt = body.Time("expires_at"),
            Metadata = body.Metadata("metadata"),
            BudgetBlocksFree = body.Bool("budget_blocks_free") ?? false,
        };
        var created = await store.CreateKeyAsync(spec, ctx.RequestAborted).ConfigureAwait(false);
        ctx.Response.Headers.Location = "/admin/keys/" + created.Info.Id;
        ctx.Response.Headers.CacheControl = "no-store";
        var key = AdminKey.From(created.Info, runtime.TimeProvider.GetUtcNow()) with { Key = created.Key };
        return Json(key, AdminJsonContext.Default.AdminKey, StatusCodes.Status201Created);
    }

    private static async Task<IResult> ListKeysAsync(HttpContext ctx, KeyStore store, SwitchyardRuntime runtime)
    {
        string? teamId = null;
        if (ctx.Request.Query.TryGetValue("team", out var values))
        {
            var team = values.ToString().Trim();
            if (team.Length == 0)
            {
                return BadRequest("invalid_value", "'team' needs a team id or name (leave it out to list every key).", "team");
            }

            teamId = (await store.GetTeamAsync(team, ctx.RequestAborted).ConfigureAwait(false))?.Id;
            if (teamId is null)
            {
                // A deleted team's keys are still listed by its id.
                if (!TeamIds.IsTeamId(team))
                {
                    return TeamNotFound(team);
                }

                teamId = team;
            }
        }

        var keys = await store.ListKeysAsync(teamId, ctx.RequestAborted).ConfigureAwait(false);
        var now = runtime.TimeProvider.GetUtcNow();
        return Json(new AdminKeyList([.. keys.Select(k => AdminKey.From(k, now))]), AdminJsonContext.Default.AdminKeyList);
    }

    private static async Task<IResult> GetKeyAsync(HttpContext ctx, KeyStore store, SwitchyardRuntime runtime, string id)
    {
        if (KeyIdOf(id) is not { } keyId || await store.GetKeyAsync(keyId, ctx.RequestAborted).ConfigureAwait(false) is not { } key)
        {
            return KeyNotFound(id);
        }

        var now = runtime.TimeProvider.GetUtcNow();
        var liveTeam = key.TeamId is null ? null : await store.GetTeamAsync(key.TeamId, ctx.RequestAborted).ConfigureAwait(false);
        var usage = await BudgetReport.ForKeyAsync(store.Database, key.Id, liveTeam?.Id, now, ctx.RequestAborted).ConfigureAwait(false);
        var shown = AdminKey.From(key, now) with { Usage = [.. usage.Select(AdminBudgetUsage.From)] };
        return Json(shown, AdminJsonContext.Default.AdminKey);
    }

    private static async Task<IResult> UpdateKeyAsync(HttpContext ctx, KeyStore store, SwitchyardRuntime runtime, string id)
    {
        var body = await Body.ReadAsync(ctx, "key update", KeyUpdateFields, ("team", "A key's team cannot be changed: create a new key in the other team and revoke this one.")).ConfigureAwait(false);
        var update = new KeyUpdate
        {
            Name = body.Has("name") ? body.RequiredString("name") : null,
            AllowedModels = body.Strings("models"),
            AllModels = body.IsNull("models"),
            DataClasses = body.Has("data_classes") ? body.Strings("data_classes") ?? [] : null,
            Rpm = body.Int32("rpm"),
            ClearRpm = body.IsNull("rpm"),
            Tpm = body.Int64("tpm"),
            ClearTpm = body.IsNull("tpm"),
            Budgets = body.Has("budgets") ? body.Budgets("budgets") ?? [] : null,
            ExpiresAt = body.Time("expires_at"),
            ClearExpiry = body.IsNull("expires_at"),
            Enabled = body.Has("enabled") ? body.Bool("enabled") ?? throw new ArgumentException("'enabled' must be true or false.") : null,
            BudgetBlocksFree = body.Has("budget_blocks_free") ? body.Bool("budget_blocks_free") ?? throw new ArgumentException("'budget_blocks_free' must be true or false.") : null,
            Metadata = body.Has("metadata") ? body.Metadata("metadata") ?? new Dictionary<string, string>() : null,
        };
        if (KeyIdOf(id) is not { } keyId || await store.UpdateKeyAsync(keyId, update, ctx.RequestAborted).ConfigureAwait(false) is not { } key)
        {
            return KeyNotFound(id);
        }

        return Json(AdminKey.From(key, runtime.TimeProvider.GetUtcNow()), AdminJsonContext.Default.AdminKey);
    }

    private static async Task<IResult> RevokeKeyAsync(HttpContext ctx, KeyStore store, SwitchyardRuntime runtime, string id)
    {
        if (KeyIdOf(id) is not { } keyId || await store.RevokeKeyAsync(keyId, ctx.RequestAborted).ConfigureAwait(false) is not { } key)
        {
            return KeyNotFound(id);
        }

        return Json(AdminKey.From(key, runtime.TimeProvider.GetUtcNow()), AdminJsonContext.Default.AdminKey);
    }

    private static async Task<IResult> SetGlobalBudgetAsync(HttpContext ctx, KeyStore store, SwitchyardRuntime runtime)
    {
        var body = await Body.ReadAsync(ctx, "global budget", BudgetFields).ConfigureAwait(false);
        if (!body.Has("limit_usd"))
        {
            throw new ArgumentException("'limit_usd' is required: a dollar amount, or null to remove the global budget for the period.");
        }

        await store.SetGlobalBudgetAsync(body.Period("period"), body.Decimal("limit_usd"), ctx.RequestAborted).ConfigureAwait(false);
        var budgets = await store.GetGlobalBudgetsAsync(ctx.RequestAborted).ConfigureAwait(false);
        return Json(new AdminGlobalBudgets([.. budgets.Select(AdminBudget.From)]), AdminJsonContext.Default.AdminGlobalBudgets);
    }

    /// <summary>
    /// Opens the key store (even when <c>/v1</c> runs in open mode) and runs <paramref name="handler"/>, turning the
    /// store's refusals into OpenAI-style errors: bad input 400, a state conflict 409, an unreachable store 503.
    /// </summary>
    private static async Task<IResult> RunAsync(HttpContext ctx, SwitchyardRuntime runtime, Func<HttpContext, KeyStore, SwitchyardRuntime, Task<IResult>> handler)
    {
        KeyStore store;
        try
        {
            runtime.EnableApiKeys();
            store = runtime.Keys!;
        }
        catch (SwitchyardConfigurationException ex)
        {
            return new AdminError(StatusCodes.Status503ServiceUnavailable, "service_unavailable", "key_store_unavailable", ex.Message);
        }

        IResult result;
        try
        {
            result = await handler(ctx, store, runtime).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            result = BadRequest("invalid_json", $"The request body is not valid JSON: {ex.Message}");
        }
        catch (BadHttpRequestException ex)
        {
            result = new AdminError(ex.StatusCode, "invalid_request_error", ex.StatusCode == StatusCodes.Status413PayloadTooLarge ? "request_too_large" : "bad_request", ex.Message);
        }
        catch (ArgumentException ex)
        {
            result = BadRequest("invalid_value", ex.Message);
        }
        catch (InvalidOperationException ex)
        {
            result = new AdminError(StatusCodes.Status409Conflict, "invalid_request_error", "conflict", ex.Message);
        }
        catch (DbException ex)
        {
            result = new AdminError(StatusCodes.Status503ServiceUnavailable, "service_unavailable", "key_store_unavailable", $"The key store failed: {ex.Message}");
        }

        if (!HttpMethods.IsGet(ctx.Request.Method))
        {
            var status = (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
            var logger = Logger(ctx);
            LogAdminWrite(logger, ctx.Request.Method, ctx.Request.Path, status);
        }

        return result;
    }

    /// <summary>
    /// The key id in a URL: the 10-character id (any case), <c>sk-sy-&lt;id&gt;</c>, or a whole key (whose secret is
    /// ignored); null for anything else.
    /// </summary>
    private static string? KeyIdOf(string value)
    {
        var text = value.Trim();
        if (ApiKeyFormat.TryParse(text, out var id))
        {
            return id;
        }

        if (text.StartsWith(ApiKeyFormat.KeyPrefix, StringComparison.OrdinalIgnoreCase))
        {
            text = text[ApiKeyFormat.KeyPrefix.Length..];
        }

        text = text.ToUpperInvariant();
        try
        {
            _ = ApiKeyFormat.PrefixOf(text);
            return text;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    // Names the key only by its prefix, so a whole key pasted into the URL is never echoed.
    private static AdminError KeyNotFound(string id) => new(StatusCodes.Status404NotFound, "invalid_request_error", "key_not_found",
        KeyIdOf(id) is { } keyId ? $"No key {ApiKeyFormat.PrefixOf(keyId)}." : "No such key: give its 10-character id or sk-sy-<id>.");

    private static AdminError TeamNotFound(string idOrName) => new(StatusCodes.Status404NotFound, "invalid_request_error", "team_not_found",
        $"No live team with the id or name '{Printable(idOrName)}'.");

    private static AdminError BadRequest(string code, string message, string? param = null) =>
        new(StatusCodes.Status400BadRequest, "invalid_request_error", code, message, param);

    private static IResult Json<T>(T value, JsonTypeInfo<T> type, int status = StatusCodes.Status200OK) => Results.Json(value, type, statusCode: status);

    private static string Printable(string text)
    {
        var clean = new string([.. text.Select(c => char.IsControl(c) ? '?' : c)]);
        return clean.Length <= 64 ? clean : clean[..61] + "...";
    }

    private static ILogger Logger(HttpContext ctx) => ctx.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(LoggerCategory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin {Method} {Path}: {Status}")]
    private static partial void LogAdminWrite(ILogger logger, string method, PathString path, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Admin {Method} {Path} refused (401): {Reason}")]
    private static partial void LogRefused(ILogger logger, string method, PathString path, string reason);

    /// <summary>An error in OpenAI's envelope (with <c>WWW-Authenticate</c> on a 401).</summary>
    private sealed class AdminError(int status, string type, string code, string message, string? param = null) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => status;

        public Task ExecuteAsync(HttpContext httpContext)
        {
            if (status == StatusCodes.Status401Unauthorized)
            {
                httpContext.Response.Headers.WWWAuthenticate = "Bearer realm=\"switchyard-admin\"";
            }

            return OpenAIErrorWriter.WriteAsync(httpContext.Response, status, type, code, message, param);
        }
    }

    /// <summary>
    /// Checks the master key before any admin endpoint runs: 404 while <c>Auth:MasterKeyEnv</c>'s variable is unset (the
    /// admin API does not exist), 401 when the request carries no key or another one (a virtual key included).
    /// </summary>
    private sealed class MasterKeyFilter(SwitchyardRuntime runtime) : IEndpointFilter
    {
        public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        {
            var http = context.HttpContext;
            if (runtime.MasterKey() is not { } master)
            {
                return new AdminError(StatusCodes.Status404NotFound, "invalid_request_error", "unknown_url",
                    $"Unknown request URL: {http.Request.Method} {http.Request.Path}. The admin API is off until the environment variable {runtime.Options.Auth.MasterKeyEnv} (Auth:MasterKeyEnv) holds a master key.");
            }

            var headers = http.Request.Headers;
            var presented = ApiKeyAuthenticator.PresentedKey(headers.Authorization.ToString(), headers["x-api-key"].ToString());
            if (presented is null)
            {
                var logger = Logger(http);
                LogRefused(logger, http.Request.Method, http.Request.Path, "no key");
                return new AdminError(StatusCodes.Status401Unauthorized, "invalid_request_error", "missing_api_key",
                    "No admin key provided. Send the master key as 'Authorization: Bearer <key>' or 'x-api-key: <key>'.");
            }

            if (!ApiKeyHasher.MasterKeyEquals(presented, master))
            {
                var logger = Logger(http);
                LogRefused(logger, http.Request.Method, http.Request.Path, "wrong key");
                return new AdminError(StatusCodes.Status401Unauthorized, "invalid_request_error", "invalid_api_key",
                    "Incorrect admin key provided: /admin needs the master key (virtual keys, sk-sy-…, are for /v1 only).");
            }

            return await next(context).ConfigureAwait(false);
        }
    }

    /// <summary>A request body: a JSON object whose fields are read strictly (types checked, unknown fields refused).</summary>
    private sealed class Body
    {
        private readonly JsonElement _root;

        private Body(JsonElement root) => _root = root;

        /// <summary>Reads the body as a JSON object of <paramref name="what"/> with only <paramref name="allowed"/> fields (<paramref name="refused"/> get their own message).</summary>
        public static async Task<Body> ReadAsync(HttpContext ctx, string what, string[] allowed, params (string Field, string Message)[] refused)
        {
            using var document = await JsonDocument.ParseAsync(ctx.Request.Body, DocumentOptions, ctx.RequestAborted).ConfigureAwait(false);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ArgumentException($"The request body must be a JSON object (the {what}); got {Kind(root)}.");
            }

            foreach (var property in root.EnumerateObject())
            {
                foreach (var (field, message) in refused)
                {
                    if (property.NameEquals(field))
                    {
                        throw new ArgumentException(message);
                    }
                }

                if (!allowed.Contains(property.Name, StringComparer.Ordinal))
                {
                    throw new ArgumentException($"Unknown field '{Printable(property.Name)}' in the {what}; the fields are {string.Join(", ", allowed)}.");
                }
            }

            return new Body(root.Clone());
        }

        public bool Has(string name) => _root.TryGetProperty(name, out _);

        public bool IsNull(string name) => _root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Null;

        public string RequiredString(string name) =>
            String(name) ?? throw new ArgumentException($"'{name}' is required (a string).");

        public string? String(string name) => Value(name) is not { } value ? null
            : value.ValueKind == JsonValueKind.String ? value.GetString()
            : throw Wrong(name, "a string", value);

        public string Period(string name)
        {
            var period = RequiredString(name).Trim().ToLowerInvariant();
            return BudgetPeriods.IsKnown(period) ? period : throw new ArgumentException($"'{name}' must be daily, monthly or total; got '{Printable(period)}'.");
        }

        public List<string>? Strings(string name)
        {
            if (Value(name) is not { } value)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Array)
            {
                throw Wrong(name, "an array of strings", value);
            }

            return [.. value.EnumerateArray().Select(item => item.ValueKind == JsonValueKind.String ? item.GetString()! : throw Wrong(name + "[]", "a string", item))];
        }

        public int? Int32(string name) => Value(name) is not { } value ? null
            : value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) ? n
            : throw Wrong(name, "a whole number", value);

        public long? Int64(string name) => Value(name) is not { } value ? null
            : value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n
            : throw Wrong(name, "a whole number", value);

        public decimal? Decimal(string name) => Value(name) is not { } value ? null
            : value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var n) ? n
            : throw Wrong(name, "a dollar amount (a number)", value);

        public bool? Bool(string name) => Value(name) is not { } value ? null
            : value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean()
            : throw Wrong(name, "true or false", value);

        public DateTimeOffset? Time(string name)
        {
            if (String(name) is not { } text)
            {
                return null;
            }

            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                ? at
                : throw new ArgumentException($"'{name}' must be an ISO 8601 time such as 2027-01-01 or 2027-01-01T12:00:00Z; got '{Printable(text)}'.");
        }

        public List<BudgetLimit>? Budgets(string name)
        {
            if (Value(name) is not { } value)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Array)
            {
                throw Wrong(name, "an array of {\"period\", \"limit_usd\"} objects", value);
            }

            var budgets = new List<BudgetLimit>();
            foreach (var item in value.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object)
                {
                    throw Wrong(name + "[]", "a {\"period\", \"limit_usd\"} object", item);
                }

                foreach (var property in item.EnumerateObject())
                {
                    if (!BudgetFields.Contains(property.Name, StringComparer.Ordinal))
                    {
                        throw new ArgumentException($"Unknown field '{Printable(property.Name)}' in a budget; the fields are period and limit_usd.");
                    }
                }

                var budget = new Body(item);
                budgets.Add(new BudgetLimit(budget.Period("period"), budget.Decimal("limit_usd") ?? throw new ArgumentException("A budget needs 'limit_usd' (a dollar amount).")));
            }

            return budgets;
        }

        public Dictionary<string, string>? Metadata(string name)
        {
            if (Value(name) is not { } value)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Object)
            {
                throw Wrong(name, "an object of string labels", value);
            }

            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in value.EnumerateObject())
            {
                metadata[property.Name] = property.Value.ValueKind == JsonValueKind.String
                    ? property.Value.GetString()!
                    : throw Wrong($"{name}.{Printable(property.Name)}", "a string", property.Value);
            }

            return metadata;
        }

        /// <summary>The field's value, or null when it is absent or JSON null.</summary>
        private JsonElement? Value(string name) =>
            _root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

        private static ArgumentException Wrong(string name, string expected, JsonElement got) =>
            new($"'{name}' must be {expected}; got {Kind(got)}.");

        private static string Kind(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "the number " + Printable(value.GetRawText()),
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            _ => "null",
        };
    }
}
