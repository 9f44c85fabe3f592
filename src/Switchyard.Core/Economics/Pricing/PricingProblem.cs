namespace Switchyard.Economics.Pricing;

/// <summary>One thing wrong with a pricing catalog entry.</summary>
/// <param name="Id">The entry's id (empty when the id itself is missing).</param>
/// <param name="Field">The JSON name of the offending field, for example <c>input</c> or <c>observed</c>.</param>
/// <param name="Message">What is wrong.</param>
public sealed record PricingProblem(string Id, string Field, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{(Id.Length == 0 ? "(no id)" : Id)}:{Field}: {Message}";
}
