using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Switchyard.Configuration;
using Switchyard.Gateway;

namespace Switchyard.Cli;

/// <summary><c>switchyard serve</c>: runs the gateway.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Addresses to listen on (semicolon-separated).",
            DefaultValueFactory = _ => GatewayApp.DefaultUrls,
        };
        var config = new Option<string?>("--config")
        {
            Description = $"Configuration file (default: {SwitchyardConfigLoader.DefaultFileName} in the working directory, if present).",
        };
        var command = new Command("serve", "Run the gateway: OpenAI-compatible API on --urls, routing to the configured providers.")
        {
            urls,
            config,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            SwitchyardRuntime runtime;
            string? file;
            try
            {
                file = SwitchyardConfigLoader.ResolvePath(parse.GetValue(config), Environment.CurrentDirectory);
                var options = SwitchyardConfigLoader.LoadForServe(file, Environment.CurrentDirectory);
                runtime = SwitchyardRuntime.Create(options, log: message => Console.Error.WriteLine(message));
            }
            catch (SwitchyardConfigurationException ex)
            {
                await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
                return 2;
            }

            await using (runtime.ConfigureAwait(false))
            {
                WebApplication app;
                try
                {
                    app = GatewayApp.Build(runtime, parse.GetValue(urls)!);
                }
                catch (SwitchyardConfigurationException ex)
                {
                    await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
                    return 2;
                }
                catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
                {
                    await Console.Error.WriteLineAsync($"--urls: {ex.Message}").ConfigureAwait(false);
                    return 2;
                }

                await using (app.ConfigureAwait(false))
                {
                    Console.WriteLine($"Switchyard {(file is null ? "with no config file" : "config " + file)}; ledger {runtime.Store.Database.Display}");
                    var auth = GatewayApp.ResolveAuthMode(runtime.Options.Auth.Mode, parse.GetValue(urls)!);
                    Console.WriteLine(auth == AuthModes.Keys
                        ? "Auth: API keys required on /v1 (create one with 'switchyard keys create --name NAME')."
                        : GatewayApp.ResolveAuthMode(AuthModes.Auto, parse.GetValue(urls)!) == AuthModes.Keys
                            ? "WARNING: Auth:Mode is open on a non-loopback address: anyone who reaches this gateway can use (and spend on) every model."
                            : "Auth: open (no API key is checked; loopback only). Set Switchyard:Auth:Mode to keys to require keys.");
                    if (!runtime.Catalog.Names.Any())
                    {
                        Console.WriteLine("No models are configured: every chat request will get 404 model_not_found. Pass --config FILE (see README) to add providers and models.");
                    }
                    else
                    {
                        Console.WriteLine("Serving: " + string.Join(", ", runtime.Catalog.Names));
                    }

                    foreach (var local in runtime.EmbeddedModels)
                    {
                        var hp = local.Model.Hyperparameters;
                        Console.WriteLine($"Embedded model '{local.ProviderId}': {local.Model.Name} ({hp.Architecture}, {hp.BlockCount} blocks, width {hp.EmbeddingLength}, context {hp.ContextLength}) from {local.Model.Path}");
                        _ = ReportHashAsync(local);
                    }

                    try
                    {
                        await app.StartAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch (IOException ex)
                    {
                        await Console.Error.WriteLineAsync($"Cannot listen on {parse.GetValue(urls)}: {ex.Message}").ConfigureAwait(false);
                        return 3;
                    }
                    catch (Exception ex) when (ex is FormatException or InvalidOperationException or ArgumentException)
                    {
                        await Console.Error.WriteLineAsync($"--urls: {ex.Message} (expected e.g. http://127.0.0.1:4000)").ConfigureAwait(false);
                        return 2;
                    }

                    Console.WriteLine("Listening on " + string.Join(", ", app.Urls));
                    await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            return 0;
        });
        return command;
    }

    private static async Task ReportHashAsync(EmbeddedModelInfo local)
    {
        try
        {
            var hash = await local.Model.GetSha256Async().ConfigureAwait(false);
            Console.WriteLine($"Embedded model '{local.ProviderId}' sha256 {hash}");
        }
        catch (IOException ex)
        {
            await Console.Error.WriteLineAsync($"Embedded model '{local.ProviderId}': cannot hash {local.Model.Path}: {ex.Message}").ConfigureAwait(false);
        }
    }
}
