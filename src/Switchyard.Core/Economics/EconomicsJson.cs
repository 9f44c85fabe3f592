using System.Text.Encodings.Web;
using System.Text.Json;

namespace Switchyard.Economics;

/// <summary>Reads workload and profile files and writes the economics results as JSON (snake_case names, as declared on the types).</summary>
public static class EconomicsJson
{
    /// <summary>
    /// The serializer options: indented, comments and trailing commas allowed when reading, and text such as <c>×</c>
    /// or <c>'</c> written as is (the output is a report file, not HTML).
    /// </summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Reads and validates a workload file.</summary>
    /// <param name="path">The JSON file.</param>
    /// <exception cref="EconomicsInputException">The file is not valid JSON, misses a required key, or a field is out of range; the message starts with the path.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static Workload ReadWorkload(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return ParseWorkload(File.ReadAllText(path), path);
    }

    /// <summary>Parses and validates a workload.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="source">Named at the start of error messages.</param>
    /// <exception cref="EconomicsInputException">The text is not valid JSON, misses a required key, or a field is out of range.</exception>
    public static Workload ParseWorkload(string json, string source = "workload")
    {
        var workload = Parse<Workload>(json, source);
        try
        {
            workload.Validate();
        }
        catch (EconomicsInputException ex)
        {
            throw new EconomicsInputException([.. ex.Problems.Select(p => $"{source}: {p}")]);
        }

        return workload;
    }

    /// <summary>Parses and validates a self-hosted profile.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="source">Named at the start of error messages.</param>
    /// <exception cref="EconomicsInputException">The text is not valid JSON or a field is invalid.</exception>
    public static SelfHostedProfile ParseProfile(string json, string source = "self_hosted")
    {
        var profile = Parse<SelfHostedProfile>(json, source);
        try
        {
            profile.Validate();
        }
        catch (EconomicsInputException ex)
        {
            throw new EconomicsInputException([.. ex.Problems.Select(p => $"{source}: {p}")]);
        }

        return profile;
    }

    /// <summary>Writes a value (e.g. an <see cref="Advice"/>) as indented JSON.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="value">The value.</param>
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    private static T Parse<T>(string json, string source)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options)
                ?? throw new EconomicsInputException($"{source}: expected a JSON object, got null");
        }
        catch (JsonException ex)
        {
            throw new EconomicsInputException($"{source}: {ex.Message}", ex);
        }
    }
}
