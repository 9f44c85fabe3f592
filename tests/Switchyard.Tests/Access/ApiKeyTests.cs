using System.Text.RegularExpressions;
using Switchyard.Access;

namespace Switchyard.Tests.Access;

public sealed class ApiKeyFormatTests
{
    private const string Valid = "sk-sy-0123456789_abcdefghijABCDEFGHIJ0123456789klmnopqrst";

    [Fact]
    public void Generated_Parses_AndRoundTripsItsId()
    {
        var key = ApiKeyFormat.Generate();

        Assert.True(ApiKeyFormat.TryParse(key.Key, out var id));
        Assert.Equal(key.Id, id);
        Assert.Equal("sk-sy-" + key.Id, key.Prefix);
        Assert.StartsWith(key.Prefix + "_", key.Key, StringComparison.Ordinal);
    }

    [Fact]
    public void Generated_ThousandKeys_DistinctAndWellFormed()
    {
        var keys = Enumerable.Range(0, 1000).Select(_ => ApiKeyFormat.Generate()).ToList();

        Assert.Equal(1000, keys.Select(k => k.Key).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(1000, keys.Select(k => k.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.All(keys, k => Assert.Matches(new Regex("^sk-sy-[0-9A-HJKMNP-TV-Z]{10}_[0-9A-Za-z]{40}$"), k.Key));
    }

    [Fact]
    public void Generated_ToString_ShowsOnlyThePrefix()
    {
        var key = ApiKeyFormat.Generate();

        Assert.Equal(key.Prefix, key.ToString());
        Assert.DoesNotContain("_", key.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_WellFormed_ReturnsTheId()
    {
        Assert.Equal(57, Valid.Length);
        Assert.True(ApiKeyFormat.TryParse(Valid, out var id));
        Assert.Equal("0123456789", id);
    }

    [Theory]
    [InlineData("")]
    [InlineData("sk-sy")]
    [InlineData("sk-xy-0123456789_abcdefghijABCDEFGHIJ0123456789klmnopqrst")] // wrong prefix
    [InlineData("SK-SY-0123456789_abcdefghijABCDEFGHIJ0123456789klmnopqrst")] // prefix case
    [InlineData("sk-0123456789_abcdefghijABCDEFGHIJ0123456789klmnopqrst")] // short prefix
    [InlineData("sk-sy-012345678_abcdefghijABCDEFGHIJ0123456789klmnopqrst")] // 9-char id
    [InlineData("sk-sy-0123456789A_abcdefghijABCDEFGHIJ0123456789klmnopqrst")] // 11-char id
    [InlineData("sk-sy-012345678I_abcdefghijABCDEFGHIJ0123456789klmnopqrst")] // I
    [InlineData("sk-sy-012345678L_abcdefghijABCDEFGHIJ0123456789klmnopqrst")] // L
    [InlineData("sk-sy-012345678O_abcdefghijABCDEFGHIJ0123456789klmnopqrst")] // O
    [InlineData("sk-sy-012345678U_abcdefghijABCDEFGHIJ0123456789klmnopqrst")] // U
    [InlineData("sk-sy-012345678a_abcdefghijABCDEFGHIJ0123456789klmnopqrst")] // lower-case id
    [InlineData("sk-sy-0123456789abcdefghijABCDEFGHIJ0123456789klmnopqrst")] // missing underscore
    [InlineData("sk-sy-0123456789-abcdefghijABCDEFGHIJ0123456789klmnopqrst")] // other separator
    [InlineData("sk-sy-0123456789_abcdefghijABCDEFGHIJ0123456789klmnopqrs")] // 39-char secret
    [InlineData("sk-sy-0123456789_abcdefghijABCDEFGHIJ0123456789klmnopqrstu")] // 41-char secret
    [InlineData("sk-sy-0123456789_abcdefghijABCDEFGHIJ0123456789klmnopqrs-")] // non-base62
    [InlineData("sk-sy-0123456789_abcdefghijABCDEFGHIJ0123456789klmnopqrs_")] // second underscore
    [InlineData("sk-sy-0123456789_abcdefghijABCDEFGHIJ0123456789klmnopqrsé")] // non-ASCII letter
    [InlineData("sk-sy-0123456789_abcdefghijABCDEFGHIJ0123456789klmnopqrst ")] // trailing space
    [InlineData("sk-sy-0123456789_abcdefghijABCDEFGHIJ0123456789klmnopqrst\n")] // trailing newline
    [InlineData(" sk-sy-0123456789_abcdefghijABCDEFGHIJ0123456789klmnopqrst")] // leading space
    [InlineData("sk-sy-0123456789_abcdefghijABCDEFGHIJ0123456789klmnopqrs\n")] // newline in place of a char
    public void TryParse_Malformed_Refused(string text)
    {
        Assert.False(ApiKeyFormat.TryParse(text, out var id));
        Assert.Equal(string.Empty, id);
    }

    [Fact]
    public void PrefixOf_Id_AndRefusesAWholeKey()
    {
        Assert.Equal("sk-sy-0123456789", ApiKeyFormat.PrefixOf("0123456789"));
        Assert.Throws<ArgumentException>(() => ApiKeyFormat.PrefixOf(Valid));
        Assert.Throws<ArgumentException>(() => ApiKeyFormat.PrefixOf("012345678a"));
    }
}

public sealed class ApiKeyHasherTests
{
    private static readonly byte[] PepperA = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] PepperB = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    [Fact]
    public void Hash_DeterministicPerPepper_DiffersAcrossPeppers()
    {
        var key = ApiKeyFormat.Generate().Key;
        var a = new ApiKeyHasher(PepperA);

        Assert.Equal(a.Hash(key), new ApiKeyHasher(PepperA).Hash(key));
        Assert.Equal(32, a.Hash(key).Length);
        Assert.NotEqual(a.Hash(key), new ApiKeyHasher(PepperB).Hash(key));
        Assert.NotEqual(a.PepperCheck(), new ApiKeyHasher(PepperB).PepperCheck());
        Assert.Equal(a.PepperCheck(), new ApiKeyHasher(PepperA).PepperCheck());
    }

    [Fact]
    public void Hash_IsHmacSha256OfTheWholeKey()
    {
        var key = ApiKeyFormat.Generate().Key;

        Assert.Equal(System.Security.Cryptography.HMACSHA256.HashData(PepperA, System.Text.Encoding.UTF8.GetBytes(key)), new ApiKeyHasher(PepperA).Hash(key));
    }

    [Fact]
    public void Verify_RightKeyOnly()
    {
        var hasher = new ApiKeyHasher(PepperA);
        var key = ApiKeyFormat.Generate().Key;
        var stored = hasher.Hash(key);
        var changed = key[..^1] + (key[^1] == 'a' ? 'b' : 'a');

        Assert.True(hasher.Verify(key, stored));
        Assert.False(hasher.Verify(changed, stored));
        Assert.False(hasher.Verify(key, []));
        Assert.False(hasher.Verify(key, stored.AsSpan(0, 31)));
        Assert.False(new ApiKeyHasher(PepperB).Verify(key, stored));
    }

    [Fact]
    public void Verify_LongKey_Works()
    {
        var hasher = new ApiKeyHasher(PepperA);
        var key = new string('x', 10_000);

        Assert.True(hasher.Verify(key, hasher.Hash(key)));
    }

    [Fact]
    public void Pepper_Under32Bytes_Refused_AndCopied()
    {
        var ex = Assert.Throws<ArgumentException>(() => new ApiKeyHasher(new byte[31]));
        Assert.Contains("32", ex.Message, StringComparison.Ordinal);

        var pepper = (byte[])PepperA.Clone();
        var hasher = new ApiKeyHasher(pepper);
        var before = hasher.Hash("k");
        pepper[0] ^= 0xFF;
        Assert.Equal(before, hasher.Hash("k"));
    }

    [Theory]
    [InlineData("master-secret", "master-secret", true)]
    [InlineData("master-secret", "master-secreT", false)]
    [InlineData("master", "master-secret", false)]
    [InlineData("master-secret-and-more", "master-secret", false)]
    [InlineData("", "master-secret", false)]
    [InlineData("", "", false)]
    public void MasterKeyEquals_ComparesWholeKeys(string presented, string expected, bool equal)
        => Assert.Equal(equal, ApiKeyHasher.MasterKeyEquals(presented, expected));
}

public sealed class ApiKeyPepperSourceTests : IDisposable
{
    private const string EnvName = "SWITCHYARD_KEY_PEPPER";
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("switchyard-pepper-");

    private string PepperFile => Path.Combine(_dir.FullName, "switchyard.pepper");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void EnvValue_WinsOverTheFile()
    {
        var fromEnv = Enumerable.Repeat((byte)7, 32).ToArray();
        File.WriteAllText(PepperFile, Convert.ToBase64String(new byte[32]));

        Assert.Equal(fromEnv, PepperSource.Load(EnvName, Convert.ToBase64String(fromEnv), PepperFile));
        Assert.Equal(fromEnv, PepperSource.Load(EnvName, Convert.ToBase64String(fromEnv), null));
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("AAAA")] // 3 bytes
    [InlineData(" ")]
    public void EnvValue_BadOrShort_ArgumentExceptionNamingTheVariable(string value)
    {
        var ex = Assert.Throws<ArgumentException>(() => PepperSource.Load(EnvName, value, PepperFile));
        Assert.Contains(EnvName, ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(PepperFile));
    }

    [Fact]
    public void EnvValue_31Bytes_Refused_32Accepted()
    {
        Assert.Throws<ArgumentException>(() => PepperSource.Load(EnvName, Convert.ToBase64String(new byte[31]), null));
        Assert.Equal(32, PepperSource.Load(EnvName, Convert.ToBase64String(new byte[32]), null).Length);
    }

    [Fact]
    public void NoEnv_File_CreatedOnceWithMode0600_ThenReadBack()
    {
        var first = PepperSource.Load(EnvName, null, PepperFile);
        var written = File.ReadAllText(PepperFile);
        var second = PepperSource.Load(EnvName, "", PepperFile);

        Assert.Equal(32, first.Length);
        Assert.Equal(first, second);
        Assert.Equal(written, File.ReadAllText(PepperFile));
        Assert.Equal(first, Convert.FromBase64String(written));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(PepperFile));
        }
    }

    [Fact]
    public void NoEnv_FileWithTrailingNewline_Read()
    {
        var pepper = Enumerable.Range(0, 48).Select(i => (byte)i).ToArray();
        File.WriteAllText(PepperFile, Convert.ToBase64String(pepper) + "\n");

        Assert.Equal(pepper, PepperSource.Load(EnvName, null, PepperFile));
    }

    [Theory]
    [InlineData("garbage!")]
    [InlineData("AAAA")]
    public void NoEnv_BadFile_ArgumentExceptionNamingFileAndVariable(string content)
    {
        File.WriteAllText(PepperFile, content);

        var ex = Assert.Throws<ArgumentException>(() => PepperSource.Load(EnvName, null, PepperFile));
        Assert.Contains(PepperFile, ex.Message, StringComparison.Ordinal);
        Assert.Contains(EnvName, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoEnv_ConcurrentFirstLoads_AgreeOnOnePepper()
    {
        using var start = new Barrier(8);
        var loads = Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            start.SignalAndWait();
            return PepperSource.Load(EnvName, null, PepperFile);
        }));

        var peppers = await Task.WhenAll(loads);

        Assert.All(peppers, p => Assert.Equal(peppers[0], p));
        Assert.Equal(peppers[0], Convert.FromBase64String(File.ReadAllText(PepperFile)));
    }

    [Fact]
    public void NoEnv_NoFileAllowed_InvalidOperationNamingTheVariable()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => PepperSource.Load(EnvName, null, null));
        Assert.Contains(EnvName, ex.Message, StringComparison.Ordinal);
        Assert.Contains("openssl rand -base64 32", ex.Message, StringComparison.Ordinal);
    }
}
