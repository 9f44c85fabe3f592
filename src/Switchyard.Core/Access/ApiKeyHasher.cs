using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Switchyard.Access;

/// <summary>
/// Hashes virtual API keys as HMAC-SHA256(pepper, UTF-8 of the whole key), so a stolen database alone cannot be used to
/// test guesses. Immutable and thread-safe.
/// </summary>
public sealed class ApiKeyHasher
{
    /// <summary>The shortest pepper accepted, in bytes.</summary>
    public const int MinPepperBytes = 32;

    /// <summary>Bytes in a hash.</summary>
    public const int HashBytes = HMACSHA256.HashSizeInBytes;

    private const int StackLimit = 256;

    private static readonly byte[] PepperCheckMessage = "switchyard-pepper-check"u8.ToArray();

    private readonly byte[] _pepper;

    /// <summary>Creates a hasher over a copy of <paramref name="pepper"/>.</summary>
    /// <param name="pepper">The secret HMAC key, at least <see cref="MinPepperBytes"/> bytes.</param>
    /// <exception cref="ArgumentException">The pepper is shorter than <see cref="MinPepperBytes"/> bytes.</exception>
    public ApiKeyHasher(byte[] pepper)
    {
        ArgumentNullException.ThrowIfNull(pepper);
        if (pepper.Length < MinPepperBytes)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The API key pepper must be at least {MinPepperBytes} bytes; got {pepper.Length}."),
                nameof(pepper));
        }

        _pepper = (byte[])pepper.Clone();
    }

    /// <summary>The hash to store for <paramref name="key"/>.</summary>
    /// <param name="key">The whole key text.</param>
    public byte[] Hash(string key)
    {
        var hash = new byte[HashBytes];
        HashInto(key, hash);
        return hash;
    }

    /// <summary>Whether <paramref name="presentedKey"/> hashes to <paramref name="storedHash"/>, compared in constant time.</summary>
    /// <param name="presentedKey">The key the client sent.</param>
    /// <param name="storedHash">The stored hash; anything but <see cref="HashBytes"/> bytes never matches.</param>
    public bool Verify(string presentedKey, ReadOnlySpan<byte> storedHash)
    {
        Span<byte> hash = stackalloc byte[HashBytes];
        HashInto(presentedKey, hash);
        return CryptographicOperations.FixedTimeEquals(hash, storedHash);
    }

    /// <summary>HMAC(pepper, "switchyard-pepper-check"): stored beside the keys so a wrong pepper fails at start-up.</summary>
    public byte[] PepperCheck() => HMACSHA256.HashData(_pepper, PepperCheckMessage);

    /// <summary>
    /// Whether a presented master key equals the expected one, comparing SHA-256 digests in constant time so neither
    /// content nor length leaks. An empty <paramref name="expected"/> never matches.
    /// </summary>
    /// <param name="presented">The key the client sent.</param>
    /// <param name="expected">The configured master key.</param>
    public static bool MasterKeyEquals(string presented, string expected)
    {
        ArgumentNullException.ThrowIfNull(presented);
        ArgumentNullException.ThrowIfNull(expected);
        Span<byte> a = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> b = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), a);
        SHA256.HashData(Encoding.UTF8.GetBytes(expected), b);
        return CryptographicOperations.FixedTimeEquals(a, b) && expected.Length > 0;
    }

    private void HashInto(string key, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(key);
        var length = Encoding.UTF8.GetByteCount(key);
        Span<byte> utf8 = length <= StackLimit ? stackalloc byte[StackLimit] : new byte[length];
        utf8 = utf8[..Encoding.UTF8.GetBytes(key, utf8)];
        HMACSHA256.HashData(_pepper, utf8, destination);
        CryptographicOperations.ZeroMemory(utf8);
    }
}
