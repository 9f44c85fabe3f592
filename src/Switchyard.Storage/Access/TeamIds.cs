using System.Buffers;
using System.Security.Cryptography;

namespace Switchyard.Storage.Access;

/// <summary>Team ids: <c>team_</c> and 8 upper-case Crockford base32 characters (40 random bits).</summary>
public static class TeamIds
{
    /// <summary>The text every team id starts with.</summary>
    public const string Prefix = "team_";

    private const string Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private const int RandomLength = 8;
    private static readonly SearchValues<char> CrockfordChars = SearchValues.Create(Crockford);

    /// <summary>A new random team id.</summary>
    public static string New() => Prefix + RandomNumberGenerator.GetString(Crockford, RandomLength);

    /// <summary>Whether <paramref name="text"/> has the shape of a team id.</summary>
    public static bool IsTeamId(string? text) =>
        text is not null
        && text.Length == Prefix.Length + RandomLength
        && text.StartsWith(Prefix, StringComparison.Ordinal)
        && text.AsSpan(Prefix.Length).IndexOfAnyExcept(CrockfordChars) < 0;
}
