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

    /// <summary>Every built-in class.</summary>
    public static IReadOnlyList<string> All { get; } = [Email, Phone, PaymentCard, Iban, UsSsn, UkNino, IpAddress, Secret];
}
