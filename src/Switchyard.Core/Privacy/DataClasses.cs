namespace Switchyard.Privacy;

/// <summary>The built-in data classes (lower-case names used in configuration, headers and the ledger).</summary>
public static class DataClasses
{
    /// <summary>E-mail addresses such as <c>alice@example.com</c> (<see cref="Detectors.EmailDetector"/>).</summary>
    public const string Email = "email";

    /// <summary>Telephone numbers: international (<c>+44 20 7946 0958</c>) or grouped national ones (<see cref="Detectors.PhoneDetector"/>).</summary>
    public const string Phone = "phone";

    /// <summary>Payment card numbers (PANs) that pass the Luhn check in a known issuer range (<see cref="Detectors.PaymentCardDetector"/>).</summary>
    public const string PaymentCard = "payment_card";

    /// <summary>International Bank Account Numbers with a valid mod-97 checksum (<see cref="Detectors.IbanDetector"/>).</summary>
    public const string Iban = "iban";

    /// <summary>US Social Security numbers such as <c>123-45-6789</c> (<see cref="Detectors.UsSsnDetector"/>).</summary>
    public const string UsSsn = "us_ssn";

    /// <summary>UK National Insurance numbers such as <c>AB123456C</c> (<see cref="Detectors.UkNinoDetector"/>).</summary>
    public const string UkNino = "uk_nino";

    /// <summary>IPv4 and IPv6 addresses (<see cref="Detectors.IpAddressDetector"/>).</summary>
    public const string IpAddress = "ip_address";

    /// <summary>API keys, tokens, passwords and private keys: known formats, named credentials, high-entropy tokens (<see cref="Detectors.SecretDetector"/>).</summary>
    public const string Secret = "secret";

    /// <summary>
    /// Content the gateway cannot read as text — an image, audio, a binary file, a URL whose target it never sees. By
    /// default (no rule names it) it may only go to the inside zones.
    /// </summary>
    public const string Uninspectable = "uninspectable";

    /// <summary>Every built-in class a detector reports.</summary>
    public static IReadOnlyList<string> All { get; } = [Email, Phone, PaymentCard, Iban, UsSsn, UkNino, IpAddress, Secret];
}
