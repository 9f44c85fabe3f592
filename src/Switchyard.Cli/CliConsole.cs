using Spectre.Console;

namespace Switchyard.Cli;

/// <summary>Console settings shared by the commands.</summary>
internal static class CliConsole
{
    /// <summary>
    /// A console over <paramref name="output"/>: colours, live progress and the terminal's width on a terminal; plain
    /// text, no animation and 200 columns otherwise (logs and pipes get whole rows).
    /// </summary>
    public static IAnsiConsole Create(TextWriter output, bool terminal)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal)
        {
            console.Profile.Width = 200;
        }

        return console;
    }

    /// <summary>
    /// Registers <paramref name="signal"/> so that its first delivery cancels <paramref name="interrupt"/> (a long run
    /// stops cleanly, keeping what it finished) and a second one terminates as usual. Null where signals are not supported.
    /// </summary>
    public static System.Runtime.InteropServices.PosixSignalRegistration? CancelOnFirst(System.Runtime.InteropServices.PosixSignal signal, CancellationTokenSource interrupt)
    {
        try
        {
            return System.Runtime.InteropServices.PosixSignalRegistration.Create(signal, context =>
            {
                if (!interrupt.IsCancellationRequested)
                {
                    context.Cancel = true;
                    interrupt.Cancel();
                }
            });
        }
        catch (PlatformNotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Logs and pipes get whole rows instead of tables wrapped at 80 columns.</summary>
    public static void WidenWhenRedirected()
    {
        if (Console.IsOutputRedirected)
        {
            AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 200);
        }
    }
}
