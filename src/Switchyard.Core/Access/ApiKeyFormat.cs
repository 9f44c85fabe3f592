using System.Buffers;
using System.Security.Cryptography;

namespace Switchyard.Access;

/// <summary>
/// The text of virtual API keys: <c>sk-sy-&lt;id&gt;_&lt;secret&gt;</c>, where the id is 10 upper-case Crockford base32
/// characters (50 random bits) and the secret 40 base62 characters (≈ 238 random bits).
/// </summary>
public static class ApiKeyFormat
{
    /// <summary>The text every key starts with.</summary>
    public const string KeyPrefix = "sk-sy-";

    /// <summary>Characters in a key's id.</summary>
    public const int IdLength = 10;

    /// <summary>Characters in a key's secret.</summary>
    public const int SecretLength = 40;

    /// <summary>Characters in a whole key.</summary>
    public const int KeyLength = 6 + IdLength + 1 + SecretLength;

    private const string CrockfordAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private const string Base62Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const int IdStart = 6;
    private const int SecretStart = IdStart + IdLength + 1;

    private static readonly SearchValues<char> Crockford = SearchValues.Create(CrockfordAlphabet);
    private static readonly SearchValues<char> Base62 = SearchValues.Create(Base62Alphabet);

    /// <summary>Generates a new key from the system's cryptographic random number generator, without modulo bias.</summary>
    public static GeneratedApiKey Generate()
    {
        // GetString picks each character uniformly: 10 of 32 symbols are 50 random bits, 40 of 62 about 238.
        var id = RandomNumberGenerator.GetString(CrockfordAlphabet, IdLength);
        var secret = RandomNumberGenerator.GetString(Base62Alphabet, SecretLength);
        return new GeneratedApiKey(id, string.Concat(KeyPrefix, id, "_", secret));
    }

    /// <summary>
    /// Parses a presented key strictly: exact prefix, an upper-case Crockford id, <c>_</c>, exactly 40 base62
    /// characters and nothing else (no surrounding whitespace).
    /// </summary>
    /// <param name="text">The presented key.</param>
    /// <param name="id">The key's id when the text is well formed, else the empty string.</param>
    /// <returns>Whether <paramref name="text"/> is a well-formed key.</returns>
    public static bool TryParse(ReadOnlySpan<char> text, out string id)
    {
        id = string.Empty;
        if (text.Length != KeyLength
            || !text.StartsWith(KeyPrefix, StringComparison.Ordinal)
            || text[SecretStart - 1] != '_'
            || !IsId(text.Slice(IdStart, IdLength))
            || text[SecretStart..].ContainsAnyExcept(Base62))
        {
            return false;
        }

        id = new string(text.Slice(IdStart, IdLength));
        return true;
    }

    /// <summary>The text shown for a key in logs and the ledger: <c>sk-sy-&lt;id&gt;</c>.</summary>
    /// <param name="id">A key id.</param>
    /// <exception cref="ArgumentException"><paramref name="id"/> is not a key id (say, a whole key passed by mistake).</exception>
    public static string PrefixOf(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (!IsId(id))
        {
            throw new ArgumentException("Not an API key id: expected 10 upper-case Crockford base32 characters.", nameof(id));
        }

        return string.Concat(KeyPrefix, id);
    }

    private static bool IsId(ReadOnlySpan<char> id) => id.Length == IdLength && !id.ContainsAnyExcept(Crockford);
}
