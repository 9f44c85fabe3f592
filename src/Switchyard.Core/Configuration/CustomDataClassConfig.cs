namespace Switchyard.Configuration;

/// <summary>A data class of your own (project code names, customer ids): literal terms and/or regular expressions.</summary>
public sealed class CustomDataClassConfig
{
    /// <summary>Literal terms, matched case-insensitively as whole words.</summary>
    public List<string> Terms { get; init; } = [];

    /// <summary>.NET regular expressions; every match is a finding (compiled once, 100 ms timeout per text).</summary>
    public List<string> Patterns { get; init; } = [];
}
