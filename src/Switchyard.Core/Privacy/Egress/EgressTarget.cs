namespace Switchyard.Privacy.Egress;

/// <summary>
/// Where the provider call being made right now goes: the provider and the zone of the model being called (a model may
/// override its provider's zone). Flows with the call (an <see cref="AsyncLocal{T}"/>) from
/// <see cref="EgressZoneChatClient"/> down to the provider's HTTP handler, which checks the payload it is about to send.
/// </summary>
/// <param name="ProviderId">The configured provider.</param>
/// <param name="Zone">The model's zone.</param>
public sealed record EgressTarget(string ProviderId, string Zone)
{
    /// <summary>Texts of the request the privacy guard scanned and found nothing in (see <see cref="EgressInspector.Check"/>).</summary>
    public IReadOnlySet<string>? ScannedClean { get; init; }

    private static readonly AsyncLocal<EgressTarget?> s_current = new();

    /// <summary>The target of the call in progress on this flow, if a model client set one.</summary>
    public static EgressTarget? Current
    {
        get => s_current.Value;
        internal set => s_current.Value = value;
    }
}
