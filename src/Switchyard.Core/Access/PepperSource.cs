using System.Globalization;
using System.Security.Cryptography;

namespace Switchyard.Access;

/// <summary>Finds the API key pepper: an environment variable, else (where allowed) a mode-0600 file it creates once.</summary>
public static class PepperSource
{
    private const int NewPepperBytes = 32;
    private const int ReadAttempts = 50;
    private static readonly TimeSpan ReadRetryDelay = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// The pepper from <paramref name="envValue"/> when it is set; else from the file at <paramref name="pepperFilePath"/>,
    /// which is created with 32 random bytes (owner read/write only) when missing. Concurrent first calls agree: the
    /// file is created with <see cref="FileMode.CreateNew"/>, and the loser reads the winner's file.
    /// </summary>
    /// <param name="envName">The environment variable's name, for messages (e.g. <c>SWITCHYARD_KEY_PEPPER</c>).</param>
    /// <param name="envValue">Its value: base64 of at least <see cref="ApiKeyHasher.MinPepperBytes"/> bytes; null or empty when unset.</param>
    /// <param name="pepperFilePath">The pepper file, or null when a file is not allowed (a shared database).</param>
    /// <returns>The pepper bytes.</returns>
    /// <exception cref="ArgumentException">The variable or the file does not hold base64 of at least 32 bytes.</exception>
    /// <exception cref="InvalidOperationException">The variable is unset and no file is allowed.</exception>
    public static byte[] Load(string envName, string? envValue, string? pepperFilePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(envName);
        if (!string.IsNullOrEmpty(envValue))
        {
            return Decode(envValue, envName);
        }

        if (pepperFilePath is null)
        {
            throw new InvalidOperationException(
                $"Set {envName} to base64 of 32 random bytes, e.g. `openssl rand -base64 32`; every instance sharing a database needs the same value.");
        }

        return TryCreate(pepperFilePath) ?? ReadFile(pepperFilePath, envName);
    }

    private static byte[]? TryCreate(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.Read };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        FileStream stream;
        try
        {
            stream = new FileStream(path, options);
        }
        catch (IOException) when (File.Exists(path))
        {
            return null; // Another caller created it first: use theirs.
        }

        var pepper = RandomNumberGenerator.GetBytes(NewPepperBytes);
        try
        {
            using (stream)
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(Convert.ToBase64String(pepper));
                writer.Flush();
                stream.Flush(flushToDisk: true); // Losing it after a crash would invalidate every key issued since.
            }
        }
        catch
        {
            File.Delete(path); // Never leave an empty file behind to fail every later start.
            throw;
        }

        return pepper;
    }

    private static byte[] ReadFile(string path, string envName)
    {
        // A concurrent creator may still hold the file or not have written yet: its 44 bytes arrive in one write.
        for (var attempt = 1; ; attempt++)
        {
            var text = string.Empty;
            try
            {
                text = File.ReadAllText(path).Trim();
            }
            catch (IOException) when (attempt < ReadAttempts && File.Exists(path))
            {
            }

            if (text.Length > 0 || attempt >= ReadAttempts)
            {
                return Decode(text, string.Create(CultureInfo.InvariantCulture, $"The pepper file {path} (used when {envName} is unset)"));
            }

            Thread.Sleep(ReadRetryDelay);
        }
    }

    private static byte[] Decode(string base64, string source)
    {
        var buffer = new byte[base64.Length];
        try
        {
            if (!Convert.TryFromBase64String(base64, buffer, out var written) || written < ApiKeyHasher.MinPepperBytes)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"{source} must be base64 of at least {ApiKeyHasher.MinPepperBytes} bytes, e.g. `openssl rand -base64 32`."));
            }

            return buffer[..written];
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }
}
