using System.Globalization;
using System.Text;
using Bogus;
using Bogus.DataSets;
using Switchyard.Privacy;

namespace Switchyard.PrivacyBench.Corpus;

/// <summary>
/// A seeded, deterministic generator of labelled texts. Each sample mixes Bogus filler in one of
/// <see cref="Locales"/> (lorem, reviews, names, addresses, products, prices) with zero to three sensitive values of
/// the built-in data classes in context phrases, and zero to three look-alike decoys that must not be reported:
/// invalid checksums and ranges, dates, times, amounts, order and tracking numbers, ZIP codes, ISBNs, versions, MAC
/// addresses, UUIDs, commit ids, identifiers, paths, handles, credential-like words.
/// Values come from Bogus where it makes valid ones (e-mail, payment cards, IBANs, IPs, names) and from per-locale
/// formats filled by Bogus's randomizer where it does not (phone numbers in realistic national and international
/// forms, SSNs and NINOs in issued ranges, secrets in their vendors' formats).
/// </summary>
internal sealed class PrivacyCorpus
{
    /// <summary>The Bogus locales samples are written in.</summary>
    public static IReadOnlyList<string> Locales { get; } = ["en", "en_US", "en_GB", "de", "fr", "nl", "es", "it", "pl", "pt_BR", "sv", "ru"];

    private const string Digits = "0123456789";
    private const string Hex = "0123456789abcdef";
    private const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string Base62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private const string Base64Url = Base62 + "-_";
    private const string Base64 = Base62 + "+/";

    private static readonly DateTime DateFrom = new(2015, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime DateTo = new(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Phone formats per locale: '#' any digit, '%' 1-9, '^' 2-9. Bare ones are used only after a keyword.</summary>
    private static readonly Dictionary<string, (string[] Grouped, string[] Bare)> PhoneFormats = new(StringComparer.Ordinal)
    {
        ["en"] = (["(^##) ^##-####", "^##-^##-####", "^##.^##.####", "+1 ^##-^##-####", "+1 (^##) ^##-####", "1-^##-^##-####", "+1^##^######"], ["^##^######"]),
        ["en_US"] = (["(^##) ^##-####", "^##-^##-####", "+1 ^##-^##-####", "+1 ^##.^##.####"], ["^##^######"]),
        ["en_GB"] = (["020 7### ####", "07%## ######", "+44 20 7### ####", "+44 7%## ######", "0161 ### ####", "+44 (0)20 7### ####", "+447%########"], ["07%########"]),
        ["de"] = (["030 ########", "0171 #######", "+49 30 ########", "+49 (0)89 #######", "089/#######", "0049 171 #######", "+49 151 ########", "+49-30-#######"], ["0151########"]),
        ["fr"] = (["01 ## ## ## ##", "06 ## ## ## ##", "+33 1 ## ## ## ##", "+33 6 ## ## ## ##", "06.##.##.##.##", "+33 (0)6 ## ## ## ##"], ["06########"]),
        ["nl"] = (["06-########", "020-#######", "+31 6 ########", "+31 20 ### ####", "(020) ### ####", "+31 (0)6 ########"], ["06########"]),
        ["es"] = (["9%# ### ###", "6%# ## ## ##", "+34 9%# ### ###", "+34 6%# ### ###", "+34 6%#######"], ["6%#######"]),
        ["it"] = (["06 #### ####", "3%# ### ####", "+39 06 #### ####", "+39 3%# ### ####", "02 ########"], ["3%########"]),
        ["pl"] = (["22 ### ## ##", "5%# ### ###", "+48 22 ### ## ##", "+48 5%# ### ###", "5%#-###-###"], ["5%#######"]),
        ["pt_BR"] = (["(11) 9####-####", "+55 11 9####-####", "(21) %###-####", "+55 (21) 9####-####"], ["119########"]),
        ["sv"] = (["08-### ### ##", "07%-### ## ##", "+46 8 ### ### ##", "+46 7% ### ## ##"], ["07%#######"]),
        ["ru"] = (["+7 (9##) ###-##-##", "8 (9##) ###-##-##", "+7 9## ###-##-##", "8 9## ###-##-##"], ["89#########"]),
    };

    /// <summary>Locales whose Bogus phone formats are realistic enough to label as phone numbers.</summary>
    private static readonly HashSet<string> BogusPhoneLocales = new(["en", "en_US", "en_GB", "de", "fr", "es", "ru", "pt_BR"], StringComparer.Ordinal);

    private static readonly string[] EmailTemplates =
    [
        "Contact {name} at {0}.", "E-mail: {0}", "Please write to {0} if anything is unclear.", "{name} <{0}> wrote:",
        "cc: {0}; {name}", "(see {0})", "\"{0}\"", "mailto:{0}", "Reply-To: {0}", "Kontakt: {0}", "Écrivez à {0} svp.",
        "Correo: {0}", "send it to {0}, thanks", "Forwarded from {0} on Monday",
    ];

    private static readonly string[] PhoneTemplates =
    [
        "Call me on {0}.", "Tel.: {0}", "Phone {0}", "{name}: {0}", "reach {name} at {0} after 5pm", "Telefon: {0}",
        "tél. {0}", "Mobile {0}", "Fax {0}", "({0})", "{name}, {0}", "{0} ({name})", "ask {name} - {0}",
        "the number is {0}", "Rufen Sie {0} an.", "Llámame al {0}.", "Chiamami al {0}.", "Bel {0} voor een afspraak.",
    ];

    private static readonly string[] PhoneKeywordTemplates =
    [
        "Tel. {0}", "Phone: {0}", "Handy: {0}", "mobile {0}", "call {0}", "WhatsApp {0}", "Mobil: {0}", "tél : {0}", "Móvil {0}",
    ];

    private static readonly string[] CardTemplates =
    [
        "Card number: {0}", "Pay with {0} (exp {exp})", "my card is {0}", "CC: {0}, CVV {cvv}", "Kartennummer {0}",
        "numéro de carte {0}", "{name} paid with {0}.", "card {0} was declined", "Tarjeta: {0}",
    ];

    private static readonly string[] IbanTemplates =
    [
        "IBAN: {0}", "Please transfer to {0}.", "Konto {0}, BIC {bic}", "IBAN {0} ({name})", "compte : {0}",
        "Bankverbindung: {0}", "rekening {0} t.n.v. {name}", "pay {amount} to {0}",
    ];

    private static readonly string[] SsnTemplates = ["{name} ({0})", "ID on file: {0}", "{0} is the number on the form"];

    private static readonly string[] SsnKeywordTemplates =
        ["SSN: {0}", "Social Security Number {0}", "{name}'s SSN is {0}", "SS# {0}", "ssn={0}"];

    private static readonly string[] NinoTemplates =
        ["NI number: {0}", "National Insurance No. {0}", "{name} ({0})", "NINO {0}", "employee {name}, {0}, started Monday"];

    private static readonly string[] NinoKeywordTemplates = ["NI number: {0}", "National Insurance number {0}", "NINO: {0}"];

    private static readonly string[] IpTemplates =
    [
        "connection from {0}", "host={0}", "ssh admin@{0}", "[{0}]:443", "IP: {0}", "ping {0}", "client {0} blocked",
        "{0} - - [10/Oct/2024:13:55:36] \"GET / HTTP/1.1\" 200", "server at {0}:8080", "X-Forwarded-For: {0}",
    ];

    private static readonly string[] SecretKeywordTemplates =
    [
        "password: {0}", "DB_PASSWORD={0}", "\"client_secret\": \"{0}\"", "my password is {0}", "Passwort: {0}",
        "api_key={0}", "X-Api-Key: {0}", "token: '{0}'", "secret = \"{0}\"",
    ];

    private static readonly string[] SecretTemplates =
    [
        "use {0} to sign in", "key {0} (do not share)", "export OPENAI_API_KEY={0}", "here it is: {0}", "{0}",
        "the CI failed with {0} in the log", "Authorization: Bearer {0}",
    ];

    private static readonly CardType[] CardTypes =
        [CardType.Visa, CardType.Mastercard, CardType.AmericanExpress, CardType.Discover, CardType.Jcb, CardType.DinersClub, CardType.Maestro];

    private readonly Randomizer _random;
    private readonly Faker[] _fakers;

    public PrivacyCorpus(int seed)
    {
        _random = new Randomizer(seed);
        _fakers = new Faker[Locales.Count];
        for (int i = 0; i < _fakers.Length; i++)
        {
            _fakers[i] = new Faker(Locales[i]) { Random = new Randomizer(seed + 1 + i) };
        }
    }

    /// <summary><paramref name="count"/> samples from a generator seeded with <paramref name="seed"/>.</summary>
    public static List<LabelledSample> Generate(int count, int seed)
    {
        var corpus = new PrivacyCorpus(seed);
        var samples = new List<LabelledSample>(count);
        for (int i = 0; i < count; i++)
        {
            samples.Add(corpus.Next());
        }

        return samples;
    }

    /// <summary>The next sample.</summary>
    public LabelledSample Next()
    {
        int localeIndex = _random.Int(0, _fakers.Length - 1);
        Faker f = _fakers[localeIndex];
        var pieces = new List<Action<SampleBuilder>>();
        int fillers = _random.Int(1, 3);
        for (int i = 0; i < fillers; i++)
        {
            pieces.Add(b => b.Text(Filler(f)));
        }

        int entities = _random.WeightedRandom([0, 1, 2, 3], [0.15f, 0.45f, 0.25f, 0.15f]);
        for (int i = 0; i < entities; i++)
        {
            string dataClass = _random.ArrayElement([.. DataClasses.All]);
            pieces.Add(b => Entity(f, Locales[localeIndex], dataClass, b));
        }

        int decoys = _random.Int(0, 3);
        for (int i = 0; i < decoys; i++)
        {
            pieces.Add(b => b.Text(Decoy(f)));
        }

        var builder = new SampleBuilder();
        foreach (Action<SampleBuilder> piece in _random.Shuffle(pieces))
        {
            if (builder.Length > 0)
            {
                // Pieces follow each other on one line, on a new line, or as sentences.
                builder.Text(_random.WeightedRandom([" ", "\n", ". "], [0.5f, 0.25f, 0.25f]));
            }

            piece(builder);
        }

        return new LabelledSample(Locales[localeIndex], builder.ToString(), builder.Labels);
    }

    private static string Filler(Faker f) => f.Random.Int(0, 6) switch
    {
        0 or 1 => f.Lorem.Sentence(f.Random.Int(5, 14)),
        2 => f.Rant.Review(),
        3 => f.Company.CatchPhrase() + ".",
        4 => $"{f.Name.FullName()}, {f.Address.FullAddress()}.",
        5 => $"{f.Commerce.ProductName()}: {f.Commerce.Price()} {f.Finance.Currency().Code}.",
        _ => f.Hacker.Phrase(),
    };

    private static void Entity(Faker f, string locale, string dataClass, SampleBuilder b)
    {
        switch (dataClass)
        {
            case DataClasses.Email:
                Place(f, b, dataClass, f.PickRandom(EmailTemplates), Email(f));
                break;
            case DataClasses.Phone:
                if (BogusPhoneLocales.Contains(locale) && f.Random.Bool(0.25f))
                {
                    // Bogus's own locale formats (extension dropped); a bare one gets a keyword, as people write it.
                    string native = f.Phone.PhoneNumber();
                    int x = native.IndexOf(" x", StringComparison.Ordinal);
                    native = x > 0 ? native[..x] : native;
                    bool bareNative = native.All(char.IsAsciiDigit);
                    Place(f, b, dataClass, f.PickRandom(bareNative ? PhoneKeywordTemplates : PhoneTemplates), native);
                    break;
                }

                (string[] grouped, string[] bare) = PhoneFormats[locale];
                bool bareForm = f.Random.Bool(0.15f);
                Place(f, b, dataClass, f.PickRandom(bareForm ? PhoneKeywordTemplates : PhoneTemplates), Fill(f, f.PickRandom(bareForm ? bare : grouped)));
                break;
            case DataClasses.PaymentCard:
                Place(f, b, dataClass, f.PickRandom(CardTemplates), Card(f));
                break;
            case DataClasses.Iban:
                Place(f, b, dataClass, f.PickRandom(IbanTemplates), f.Finance.Iban(f.Random.Bool(0.6f)));
                break;
            case DataClasses.UsSsn:
                int form = f.Random.Int(0, 9);
                string ssn = Ssn(f, form < 6 ? "-" : form < 8 ? " " : "");
                Place(f, b, dataClass, f.PickRandom(form >= 8 || f.Random.Bool() ? SsnKeywordTemplates : SsnTemplates), ssn);
                break;
            case DataClasses.UkNino:
                bool noSuffix = f.Random.Bool(0.15f);
                Place(f, b, dataClass, f.PickRandom(noSuffix ? NinoKeywordTemplates : NinoTemplates), Nino(f, f.Random.Bool(0.4f), !noSuffix));
                break;
            case DataClasses.IpAddress:
                Place(f, b, dataClass, f.PickRandom(IpTemplates), Ip(f));
                break;
            default:
                bool keyword = f.Random.Bool(0.35f);
                Place(f, b, dataClass, f.PickRandom(keyword ? SecretKeywordTemplates : SecretTemplates), keyword ? Credential(f) : Secret(f));
                break;
        }
    }

    /// <summary>Writes <paramref name="template"/> with the value labelled where "{0}" is.</summary>
    private static void Place(Faker f, SampleBuilder b, string dataClass, string template, string value)
    {
        string filled = template
            .Replace("{name}", f.Name.FullName(), StringComparison.Ordinal)
            .Replace("{exp}", f.Random.Int(1, 12).ToString("00", CultureInfo.InvariantCulture) + "/" + f.Random.Int(25, 32).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{cvv}", f.Random.String2(3, Digits), StringComparison.Ordinal)
            .Replace("{bic}", f.Finance.Bic(), StringComparison.Ordinal)
            .Replace("{amount}", f.Finance.Amount(10, 5000).ToString("0.00", CultureInfo.InvariantCulture) + " EUR", StringComparison.Ordinal);
        int at = filled.IndexOf("{0}", StringComparison.Ordinal);
        b.Text(filled[..at]);
        b.Value(dataClass, value);
        b.Text(filled[(at + 3)..]);
    }

    /// <summary>Fills '#' (0-9), '%' (1-9) and '^' (2-9).</summary>
    private static string Fill(Faker f, string format)
    {
        var sb = new StringBuilder(format.Length);
        foreach (char c in format)
        {
            sb.Append(c switch
            {
                '#' => (char)('0' + f.Random.Int(0, 9)),
                '%' => (char)('0' + f.Random.Int(1, 9)),
                '^' => (char)('0' + f.Random.Int(2, 9)),
                _ => c,
            });
        }

        return sb.ToString();
    }

    private static string Email(Faker f)
    {
        string first = f.Name.FirstName();
        string last = f.Name.LastName();
        string email = f.Random.Int(0, 9) switch
        {
            < 5 => f.Internet.Email(first, last),
            < 7 => f.Internet.ExampleEmail(first, last),
            7 => $"{f.Internet.UserName(first, last).ToLowerInvariant()}+{f.Random.String2(5, "abcdefghijklmnopqrstuvwxyz")}@{f.Internet.DomainWord()}.{f.PickRandom("co.uk", "com.br", "de", "fr", "io", "org")}",
            8 => f.Internet.Email(first, last).ToUpperInvariant(),
            _ => $"{f.Internet.UserName(first, last)}@mail.{f.Internet.DomainName()}",
        };

        // Bogus can produce an empty or odd local part for some names; fall back to a plain one.
        int at = email.IndexOf('@', StringComparison.Ordinal);
        bool ok = at > 0 && char.IsAsciiLetterOrDigit(email[0]) && email[at - 1] != '.';
        for (int i = 0; ok && i < at; i++)
        {
            ok = char.IsAsciiLetterOrDigit(email[i]) || email[i] is '.' or '_' or '-' or '+' or '\'';
        }

        return ok ? email : $"user{f.Random.Int(1, 9999)}@{f.Internet.DomainName()}";
    }

    private static string Card(Faker f)
    {
        CardType type = f.PickRandom(CardTypes);
        string number;
        do
        {
            number = f.Finance.CreditCardNumber(type);
        }
        while ((type == CardType.Mastercard && !(number[0] == '5' || number[0] == '2')) || number.Count(char.IsAsciiDigit) > 19);

        return f.Random.Int(0, 9) switch
        {
            < 5 => number,
            < 8 => number.Replace('-', ' '),
            _ => number.Replace("-", "", StringComparison.Ordinal),
        };
    }

    private static string Ssn(Faker f, string separator)
    {
        int area;
        do
        {
            area = f.Random.Int(1, 899);
        }
        while (area == 666);

        return string.Create(CultureInfo.InvariantCulture, $"{area:000}{separator}{f.Random.Int(1, 99):00}{separator}{f.Random.Int(1, 9999):0000}");
    }

    private static string Nino(Faker f, bool spaced, bool suffix)
    {
        string prefix;
        do
        {
            prefix = string.Concat(f.Random.String2(1, "ABCEGHJKLMNOPRSTWXYZ"), f.Random.String2(1, "ABCEGHJKLMNPRSTWXYZ"));
        }
        while (prefix is "BG" or "GB" or "KN" or "NK" or "NT" or "TN" or "ZZ");

        string digits = f.Random.String2(6, Digits);
        string s = spaced ? $"{prefix} {digits[..2]} {digits[2..4]} {digits[4..]}" : prefix + digits;
        return suffix ? s + (spaced ? " " : "") + f.Random.String2(1, "ABCD") : s;
    }

    private static string Ip(Faker f) => f.Random.Int(0, 9) switch
    {
        < 3 => f.Internet.Ip(),
        3 => $"192.168.{f.Random.Int(0, 255)}.{f.Random.Int(1, 254)}",
        4 => $"10.{f.Random.Int(0, 255)}.{f.Random.Int(0, 255)}.{f.Random.Int(1, 254)}",
        < 7 => f.Internet.Ipv6(),
        7 => $"2001:db8:{f.Random.Hexadecimal(4, "")}:{f.Random.Hexadecimal(2, "")}::{f.Random.Hexadecimal(3, "")}",
        8 => $"fe80::{f.Random.Hexadecimal(4, "")}:{f.Random.Hexadecimal(4, "")}:{f.Random.Int(1, 99)}",
        _ => $"::ffff:{f.Internet.Ip()}",
    };

    /// <summary>A secret in a known vendor format, or a random token.</summary>
    private static string Secret(Faker f) => f.Random.Int(0, 12) switch
    {
        // Lower-case or hexadecimal tokens with nothing naming them: not detectable without context (measured as misses).
        12 => f.Random.Bool() ? f.Random.AlphaNumeric(32) : f.Random.String2(40, Hex),
        0 => "sk-proj-" + f.Random.String2(64, Base64Url),
        1 => "sk-ant-api03-" + f.Random.String2(93, Base64Url) + "AA",
        2 => "AKIA" + f.Random.String2(16, Upper + "234567"),
        3 => "ghp_" + f.Random.String2(36, Base62),
        4 => $"xoxb-{f.Random.String2(11, Digits)}-{f.Random.String2(13, Digits)}-{f.Random.String2(24, Base62)}",
        5 => "AIza" + f.Random.String2(35, Base64Url),
        6 => "glpat-" + f.Random.String2(20, Base64Url),
        7 => Jwt(f),
        8 => Pem(f),
        _ => RandomToken(f),
    };

    private static string RandomToken(Faker f)
    {
        // A random string has all three kinds with overwhelming probability at these lengths; make sure of it.
        string token;
        do
        {
            token = f.Random.String2(f.Random.Int(24, 48), f.Random.Bool(0.7f) ? Base62 : Base64);
        }
        while (!token.Any(char.IsAsciiDigit) || !token.Any(char.IsAsciiLetterUpper) || !token.Any(char.IsAsciiLetterLower));

        return token;
    }

    /// <summary>A value assigned to a credential name: a password, a random token or hex API key.</summary>
    private static string Credential(Faker f) => f.Random.Int(0, 4) switch
    {
        0 => f.Internet.Password(f.Random.Int(8, 16), false, "[A-Za-z0-9]", f.Random.String2(1, Upper)) + f.Random.String2(1, Digits),
        1 => $"{CultureInfo.InvariantCulture.TextInfo.ToTitleCase(f.Lorem.Word())}{f.Random.Int(1990, 2030)}{f.Random.String2(1, "!#%&*?")}",
        2 => f.Random.String2(32, Hex),
        3 => f.Random.String2(40, Base64),
        _ => RandomToken(f),
    };

    private static string Jwt(Faker f)
    {
        string header = Convert.ToBase64String(Encoding.UTF8.GetBytes(f.PickRandom("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", "{\"alg\":\"RS256\",\"kid\":\"" + f.Random.Hexadecimal(8, "") + "\"}")))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        string payload = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{{\"sub\":\"{f.Random.Int(1000, 99999)}\",\"name\":\"{f.Name.FirstName()}\",\"iat\":{f.Random.Int(1_600_000_000, 1_800_000_000)}}}"))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return $"{header}.{payload}.{f.Random.String2(43, Base64Url)}";
    }

    private static string Pem(Faker f)
    {
        string label = f.PickRandom("RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY");
        var sb = new StringBuilder();
        sb.Append("-----BEGIN ").Append(label).Append("-----\n");
        int lines = f.Random.Int(3, 8);
        for (int i = 0; i < lines; i++)
        {
            sb.Append(f.Random.String2(i == lines - 1 ? f.Random.Int(8, 60) : 64, Base64)).Append('\n');
        }

        sb.Append("-----END ").Append(label).Append("-----");
        return sb.ToString();
    }

    /// <summary>Something that looks like a sensitive value and is not one.</summary>
    private static string Decoy(Faker f)
    {
        DateTime date = f.Date.Between(DateFrom, DateTo);
        return f.Random.Int(0, 39) switch
        {
            // Dates, times, amounts.
            0 => $"Due {date.ToString(f.PickRandom("yyyy-MM-dd", "dd.MM.yyyy", "MM/dd/yyyy", "d MMMM yyyy", "yyyy-MM-dd HH:mm", "yyyy-MM-ddTHH:mm:ssZ"), CultureInfo.InvariantCulture)}.",
            1 => $"The meeting moved to {f.Random.Int(7, 19)}:{f.Random.Int(0, 59):00} on {date:dd.MM.yyyy}.",
            2 => $"Total: {f.Random.Int(1, 999)},{f.Random.Int(0, 999):000},{f.Random.Int(0, 999):000}.{f.Random.Int(0, 99):00} USD",
            3 => $"Umsatz {f.Random.Int(1, 999)}.{f.Random.Int(0, 999):000}.{f.Random.Int(0, 999):000},{f.Random.Int(0, 99):00} €",
            4 => $"Population: {f.Random.Int(1, 9)} {f.Random.Int(0, 999):000} {f.Random.Int(0, 999):000} {f.Random.Int(0, 999):000}",

            // Order, invoice, tracking and reference numbers; ZIP codes; ISBNs; versions.
            5 => $"Order #{f.Random.String2(f.Random.Int(8, 12), Digits)} has shipped.",
            6 => $"Invoice INV-{date.Year}-{f.Random.String2(6, Digits)}",
            7 => $"Tracking: 1Z{f.Random.String2(6, Upper + Digits)}{f.Random.String2(10, Digits)}",
            8 => $"ZIP {f.Random.String2(5, Digits)}-{f.Random.String2(4, Digits)}, {f.Address.City()}",
            9 => $"ISBN 978-{f.Random.Int(0, 9)}-{f.Random.String2(2, Digits)}-{f.Random.String2(6, Digits)}-{f.Random.Int(0, 9)}",
            10 => $"Build {f.Random.Int(1, 20)}.{f.Random.Int(0, 9)}.{f.Random.Int(10000, 29999)} ({f.System.Semver()})",
            11 => $"Ref. {f.Random.String2(10, Digits)}",

            // Card-like numbers: right issuer but wrong Luhn; Luhn-valid but no known issuer; too long.
            12 => Group4(BreakLuhn(f.Finance.CreditCardNumber(CardType.Visa).Replace("-", "", StringComparison.Ordinal))),
            13 => Group4(LuhnComplete(f.PickRandom("1", "7", "9", "0") + f.Random.String2(14, Digits))),
            14 => $"Account {f.Random.String2(4, Digits)} {f.Random.String2(4, Digits)} {f.Random.String2(4, Digits)} {f.Random.String2(4, Digits)} {f.Random.String2(4, Digits)}",

            // IBAN-like: wrong check digits, unknown country, wrong length.
            15 => BreakIban(f.Finance.Iban(false)),
            16 => "XQ" + f.Random.String2(2, Digits) + f.Random.String2(18, Digits),
            17 => f.Finance.Iban(false)[..^1],

            // SSN-like outside the issued ranges; NINO-like with banned prefixes or suffixes.
            18 => $"{f.PickRandom("000", "666", "9" + f.Random.String2(2, Digits))}-{f.Random.Int(1, 99):00}-{f.Random.Int(1, 9999):0000}",
            19 => $"{f.Random.Int(1, 665):000}-00-{f.Random.Int(1, 9999):0000}",
            20 => $"Ticket {f.PickRandom("DQ", "GB", "QA", "BG", "ZZ", "FO")}{f.Random.String2(6, Digits)}{f.Random.String2(1, "ABCD")}",
            21 => $"Part AB{f.Random.String2(6, Digits)}{f.PickRandom("E", "F", "X", "Z")}",

            // IP-like: octets out of range, too many or too few parts, MAC addresses, times, C++ scopes.
            22 => $"{f.Random.Int(256, 999)}.{f.Random.Int(0, 255)}.{f.Random.Int(0, 255)}.{f.Random.Int(0, 255)}",
            23 => $"OID 1.3.6.1.4.1.{f.Random.Int(1, 60000)}",
            24 => $"MAC {f.Internet.Mac()}",
            25 => $"at {f.Random.Int(0, 23):00}:{f.Random.Int(0, 59):00}:{f.Random.Int(0, 59):00} UTC",
            26 => "std::vector<int> and Foo::Bar::baz() in a::b",

            // E-mail-like: handles, hosts without a TLD, retina images, package versions.
            27 => $"follow @{f.Internet.UserName()} on social media",
            28 => $"{f.Internet.UserName()}@localhost and root@{f.Internet.DomainWord()}",
            29 => $"<img src=\"icon@2x.png\"> and lodash@4.17.{f.Random.Int(0, 21)}",

            // Secret-like: UUIDs, digests, identifiers, paths, URLs, words, credential words without values.
            30 => $"request {f.Random.Uuid()} failed",
            31 => $"commit {f.Random.String2(40, Hex)}",
            32 => $"sha256:{f.Random.String2(64, Hex)}",
            33 => $"{f.PickRandom("HttpClientHandlerFactory2", "Utf8JsonWriterOptions", "GetUserByIdAsync2", "MAX_RETRY_COUNT_2048", "ConfigureServices2024Async")} is called from {f.System.FilePath()}",
            34 => $"See {f.Internet.UrlWithPath()}/v2/users/{f.Random.Int(1, 99999)}/orders?page={f.Random.Int(1, 9)}",
            35 => "Donaudampfschifffahrtsgesellschaftskapitän and risk-free, task-based, desk-top work",
            36 => "password: ******** (redacted); token = getToken(); tokenizer: bert-base-uncased",
            37 => $"the bearer of this letter, {f.Name.FullName()}, keeps the secret",
            38 => $"export API_KEY=${{API_KEY}} and TOKEN=$(cat {f.System.FileName()})",
            _ => $"data/{f.System.FileName()}/Version2/Release2024/FinalDraft3.docx",
        };
    }

    private static string Group4(string digits)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < digits.Length; i += 4)
        {
            if (i > 0)
            {
                sb.Append(' ');
            }

            sb.Append(digits.AsSpan(i, Math.Min(4, digits.Length - i)));
        }

        return sb.ToString();
    }

    /// <summary>The Luhn sum of a number without its check digit (so the last digit here is doubled).</summary>
    private static int LuhnSum(ReadOnlySpan<char> digits)
    {
        int sum = 0;
        bool twice = true;
        for (int i = digits.Length - 1; i >= 0; i--)
        {
            int v = digits[i] - '0';
            if (twice)
            {
                v = v * 2 > 9 ? (v * 2) - 9 : v * 2;
            }

            sum += v;
            twice = !twice;
        }

        return sum;
    }

    private static string LuhnComplete(string body) =>
        body + (char)('0' + ((10 - (LuhnSum(body) % 10)) % 10));

    private static string BreakLuhn(string number)
    {
        string valid = LuhnComplete(number[..^1]);
        return valid[..^1] + (char)('0' + ((valid[^1] - '0' + 1) % 10));
    }

    private static string BreakIban(string iban)
    {
        // Any change of one digit breaks mod-97.
        char[] chars = iban.ToCharArray();
        int i = chars.Length - 1;
        while (!char.IsAsciiDigit(chars[i]))
        {
            i--;
        }

        chars[i] = (char)('0' + ((chars[i] - '0' + 3) % 10));
        return new string(chars);
    }

    /// <summary>Text with labelled spans.</summary>
    private sealed class SampleBuilder
    {
        private readonly StringBuilder _text = new();

        public List<LabelledSpan> Labels { get; } = [];

        public int Length => _text.Length;

        public void Text(string text) => _text.Append(text);

        public void Value(string dataClass, string value)
        {
            Labels.Add(new LabelledSpan(dataClass, _text.Length, value.Length));
            _text.Append(value);
        }

        public override string ToString() => _text.ToString();
    }
}
