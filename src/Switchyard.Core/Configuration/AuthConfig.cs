namespace Switchyard.Configuration;

/// <summary>Who may call the gateway: virtual API keys checked on every <c>/v1</c> request, and the admin master key.</summary>
public sealed class AuthConfig
{
    /// <summary>
    /// <c>keys</c> (every <c>/v1</c> request needs a valid key), <c>open</c> (no check: loopback development only), or
    /// <c>auto</c> (default: <c>keys</c> whenever the gateway listens on a non-loopback address, else <c>open</c>).
    /// </summary>
    public string Mode { get; set; } = AuthModes.Auto;

    /// <summary>The environment variable holding the master key for <c>/admin</c> (never the key itself in the file). Default <c>SWITCHYARD_MASTER_KEY</c>.</summary>
    public string MasterKeyEnv { get; set; } = "SWITCHYARD_MASTER_KEY";

    /// <summary>
    /// The environment variable holding the pepper keys are hashed with (base64 of at least 32 random bytes). Required
    /// with PostgreSQL (every instance needs the same); with SQLite a <c>.pepper</c> file beside the ledger is made if unset.
    /// Default <c>SWITCHYARD_KEY_PEPPER</c>.
    /// </summary>
    public string PepperEnv { get; set; } = "SWITCHYARD_KEY_PEPPER";

    /// <summary>
    /// How long an instance trusts a key it has looked up before reading it again, in milliseconds: a revoked or disabled
    /// key is refused by every instance within this time. Default 500; range 0–60000.
    /// </summary>
    public int KeyCacheMilliseconds { get; set; } = 500;
}

/// <summary>The values of <c>Auth:Mode</c>.</summary>
public static class AuthModes
{
    /// <summary>Keys when listening beyond loopback, open otherwise.</summary>
    public const string Auto = "auto";

    /// <summary>Every <c>/v1</c> request needs a valid key.</summary>
    public const string Keys = "keys";

    /// <summary>No key is checked.</summary>
    public const string Open = "open";
}
