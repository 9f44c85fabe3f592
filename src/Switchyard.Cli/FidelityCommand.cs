using System.CommandLine;

namespace Switchyard.Cli;

/// <summary><c>switchyard fidelity</c>: prints the fidelity table (each inbound field × provider kind) as Markdown, the README's source.</summary>
internal static class FidelityCommand
{
    public static Command Create()
    {
        var command = new Command("fidelity", "Print what each provider kind does with every field of each inbound format (passed, translated, dropped, refused), as Markdown.");
        command.SetAction(_ =>
        {
            Console.Out.Write(Wire.FieldFidelity.Markdown());
            return 0;
        });
        return command;
    }
}
