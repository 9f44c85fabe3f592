using Spectre.Console;

namespace Switchyard.Cli;

/// <summary>Console settings shared by the commands.</summary>
internal static class CliConsole
{
    /// <summary>Logs and pipes get whole rows instead of tables wrapped at 80 columns.</summary>
    public static void WidenWhenRedirected()
    {
        if (Console.IsOutputRedirected)
        {
            AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 200);
        }
    }
}
