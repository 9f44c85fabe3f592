namespace Switchyard.Local.Tests.Templates;

/// <summary>A clock stopped at one instant, in UTC, for strftime_now.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
}
