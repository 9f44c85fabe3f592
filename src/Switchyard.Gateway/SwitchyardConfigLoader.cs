using Microsoft.Extensions.Configuration;
using Switchyard.Configuration;

namespace Switchyard.Gateway;

/// <summary>
/// Loads <see cref="SwitchyardOptions"/> through the .NET configuration system: the JSON file (if any), then
/// environment variables (<c>SWITCHYARD__Providers__openai__BaseUrl</c> → <c>Switchyard:Providers:openai:BaseUrl</c>),
/// and validates the result. Every problem is reported in one <see cref="SwitchyardConfigurationException"/>.
/// </summary>
public static class SwitchyardConfigLoader
{
    /// <summary>The file used when no <c>--config</c> is given and it exists in the working directory.</summary>
    public const string DefaultFileName = "switchyard.json";

    /// <summary>Finds the config file: the given path (which must exist), else <c>switchyard.json</c> in <paramref name="workingDirectory"/> if present.</summary>
    public static string? ResolvePath(string? configPath, string workingDirectory)
    {
        if (!string.IsNullOrEmpty(configPath))
        {
            var full = Path.GetFullPath(configPath, workingDirectory);
            return File.Exists(full) ? full : throw new SwitchyardConfigurationException($"--config: the file '{full}' does not exist.");
        }

        var candidate = Path.Combine(workingDirectory, DefaultFileName);
        return File.Exists(candidate) ? candidate : null;
    }

    /// <summary>Loads and validates the configuration.</summary>
    /// <param name="configFile">A resolved file path, or null for none.</param>
    /// <param name="environment">Extra configuration (e.g. environment variables); applied after the file.</param>
    /// <param name="applyDefaults">With no file and no models configured, serve the embedded default model (see <see cref="EmbeddedDefaults"/>).</param>
    /// <param name="getEnvironmentVariable">Reads <c>OPENAI_API_KEY</c> / <c>ANTHROPIC_API_KEY</c> for the defaults.</param>
    public static SwitchyardOptions Load(string? configFile, IConfiguration? environment = null, bool applyDefaults = false, Func<string, string?>? getEnvironmentVariable = null)
    {
        var builder = new ConfigurationBuilder();
        if (configFile is not null)
        {
            builder.AddJsonFile(configFile, optional: false, reloadOnChange: false);
        }

        if (environment is not null)
        {
            builder.AddConfiguration(environment);
        }

        IConfigurationRoot root;
        try
        {
            root = builder.Build();
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException or IOException)
        {
            throw new SwitchyardConfigurationException($"{configFile}: {ex.Message}{(ex.InnerException is { } inner ? " " + inner.Message : "")}");
        }

        var options = new SwitchyardOptions();
        try
        {
            root.GetSection(SwitchyardOptions.SectionName).Bind(options, o => o.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException ex)
        {
            throw new SwitchyardConfigurationException((configFile is null ? "" : configFile + ": ") + ex.Message);
        }

        var baseDirectory = configFile is null ? Directory.GetCurrentDirectory() : Path.GetDirectoryName(configFile)!;
        if (configFile is null && applyDefaults && EmbeddedDefaults.IsEmpty(options))
        {
            EmbeddedDefaults.Apply(options, getEnvironmentVariable ?? Environment.GetEnvironmentVariable);
        }

        EmbeddedDefaults.ResolveModelPaths(options, baseDirectory);
        SwitchyardOptionsValidator.ThrowIfInvalid(options);
        return options;
    }

    /// <summary>Loads from the environment's variables and the resolved file, as <c>serve</c> does.</summary>
    public static SwitchyardOptions LoadForServe(string? configPath, string workingDirectory)
    {
        var file = ResolvePath(configPath, workingDirectory);
        var env = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        return Load(file, env, applyDefaults: true);
    }
}
