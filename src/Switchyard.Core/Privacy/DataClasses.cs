namespace Switchyard.Privacy;

/// <summary>The built-in data classes (lower-case names used in configuration, headers and the ledger).</summary>
public static class DataClasses
{
    public const string Email = "email";

    public const string Phone = "phone";

    public const string PaymentCard = "payment_card";

    public const string Iban = "iban";

    public const string UsSsn = "us_ssn";

    public const string UkNino = "uk_nino";

    public const string IpAddress = "ip_address";

    public const string Secret = "secret";

    /// <summary>
    /// Content the gateway cannot read as text — an image, audio, a binary file, a URL whose target it never sees. By
    /// default (no rule names it) it may only go to the inside zones.
    /// </summary>
    public const string Uninspectable = "uninspectable";

    /// <summary>Every built-in class a detector reports.</summary>
    public static IReadOnlyList<string> All { get; } = [Email, Phone, PaymentCard, Iban, UsSsn, UkNino, IpAddress, Secret];
}
