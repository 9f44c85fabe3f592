namespace Switchyard.Configuration;

/// <summary>One privacy rule: requests carrying any of <see cref="Classes"/> may only be served in <see cref="Zones"/>.</summary>
public sealed class PrivacyRuleConfig
{
    /// <summary>A name for the audit trail; defaults to <c>rule-N</c> (its position, from 1).</summary>
    public string? Name { get; set; }

    /// <summary>Data classes (e.g. <c>email</c>, <c>secret</c>, a custom class) or <c>*</c> for every class.</summary>
    public List<string> Classes { get; init; } = [];

    /// <summary>Zones allowed to serve such requests (e.g. <c>self</c>, <c>eu</c>).</summary>
    public List<string> Zones { get; init; } = [];
}
