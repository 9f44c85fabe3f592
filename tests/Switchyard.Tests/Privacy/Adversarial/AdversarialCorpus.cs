using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bogus;

namespace Switchyard.Tests.Privacy.Adversarial;

/// <summary>
/// One generated Chat Completions request (for route <c>hosted-first</c>) carrying exactly one sensitive value.
/// </summary>
/// <param name="Body">The request body as sent to the gateway.</param>
/// <param name="Value">The value in its plain form (what must not be recoverable from what a hosted upstream receives).</param>
/// <param name="DataClass">The value's class, named as the gateway names it (<c>email</c>, <c>payment_card</c>, …).</param>
/// <param name="Obfuscation">How the value was written (<see cref="AdversarialCorpus.Obfuscations"/>).</param>
/// <param name="Position">Where in the request it was put (<see cref="AdversarialCorpus.Positions"/>).</param>
internal sealed record AdversarialCase(string Body, string Value, string DataClass, string Obfuscation, string Position);

/// <summary>
/// A seeded, deterministic generator of requests that each hide one valid sensitive value (e-mail, payment card, IBAN,
/// US SSN, UK NINO, phone, IPv4, secret) with one obfuscation (zero-width and other format characters, soft hyphens,
/// full-width forms, odd digit separators, e-mail spellings, splits across parts, messages and lines, base64, hex,
/// URL and HTML encodings) in one place of the request (every message kind and role, content parts, <c>name</c>,
/// <c>user</c>, <c>stop</c>, tool and schema texts, <c>response_format</c>, tool calls and results, image URLs, data
/// URLs, <c>metadata</c>). Every applicable class × obfuscation × position combination is generated; combinations
/// with few applicable positions are repeated so each appears several times per class.
/// </summary>
/// <remarks>
/// The values are valid in the sense the detectors check (Luhn and issuer range, IBAN mod-97, SSA ranges, HMRC prefix
/// rules, country codes, vendor key shapes), so each is detectable in its plain form; the surrounding prose (Bogus
/// lorem, hacker, company and review phrases) varies from case to case.
/// </remarks>
internal static class AdversarialCorpus
{
    /// <summary>The seed the boundary tests use.</summary>
    public const int DefaultSeed = 20261214;

    public const string Email = "email";
    public const string PaymentCard = "payment_card";
    public const string Iban = "iban";
    public const string UsSsn = "us_ssn";
    public const string UkNino = "uk_nino";
    public const string Phone = "phone";
    public const string IpAddress = "ip_address";
    public const string Secret = "secret";

    /// <summary>Every class, in report order.</summary>
    public static readonly string[] DataClasses = [Email, PaymentCard, Iban, UsSsn, UkNino, Phone, IpAddress, Secret];

    /// <summary>Classes whose digits (and, for IBAN and NINO, letters) the oracle also compares with separators removed.</summary>
    public static readonly string[] DigitClasses = [PaymentCard, Iban, UsSsn, UkNino, Phone];

    /// <summary>Every obfuscation, in report order.</summary>
    public static readonly string[] Obfuscations =
    [
        "plain",
        "zwsp_u200b", "word_joiner_u2060", "zwnj_u200c", "bom_ufeff", "soft_hyphen_u00ad", "fullwidth",
        "sep_spaces", "sep_dots", "sep_slashes", "sep_line_break", "card_in_word",
        "email_[at]_[dot]", "email_(at)_(dot)", "email_at_dot_words", "email_%40", "email_&#64;", "email_&#x40;",
        "split_content_parts", "split_user_messages", "split_line_break",
        "base64", "base64url", "hex", "url_encoded_all", "html_entities_all",
    ];

    /// <summary>Every position, in report order.</summary>
    public static readonly string[] Positions =
    [
        "user_content", "user_content_part", "system", "assistant_turn", "message_name", "user_field", "stop",
        "tool_description", "tool_param_description", "schema_enum", "schema_default", "schema_examples",
        "response_format_description", "response_format_schema_description", "tool_call_arguments", "tool_result",
        "image_data_url", "image_url_query", "metadata",
    ];

    /// <summary>Positions that take a short string (a name, an identifier, an enum value) rather than prose.</summary>
    private static readonly HashSet<string> ShortPositions =
        ["message_name", "user_field", "stop", "schema_enum", "schema_default", "schema_examples", "image_url_query", "metadata"];

    private static readonly HashSet<string> CharLevel =
    [
        "plain", "zwsp_u200b", "word_joiner_u2060", "zwnj_u200c", "bom_ufeff", "soft_hyphen_u00ad", "fullwidth",
        "sep_spaces", "sep_dots", "sep_slashes", "sep_line_break", "card_in_word",
        "email_[at]_[dot]", "email_(at)_(dot)", "email_at_dot_words", "email_%40", "email_&#64;", "email_&#x40;",
    ];

    private static readonly HashSet<string> Encodings = ["base64", "base64url", "hex", "url_encoded_all", "html_entities_all"];

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private const string Digits = "0123456789";
    private const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string Base62 = Upper + "abcdefghijklmnopqrstuvwxyz" + Digits;
    private const string SplitMark = "\u0001";

    private static readonly Dictionary<string, string[]> Templates = new(StringComparer.Ordinal)
    {
        [Email] = ["Please forward the minutes to {v} before Friday.", "my email is {v}", "Reply to {v} and cc the team.", "contact: {v}", "{v} asked for the report"],
        [PaymentCard] = ["My card number is {v}, please charge the deposit.", "card {v}", "Charge the Visa {v} for the renewal.", "use the company card {v} for this"],
        [Iban] = ["Please wire the refund to IBAN {v}.", "IBAN: {v}", "Bank details: {v} (current account).", "pay the invoice into {v}"],
        [UsSsn] = ["My SSN is {v}, do you need anything else?", "social security number {v}", "SSN: {v}", "The applicant's SSN {v} is on file."],
        [UkNino] = ["My national insurance number is {v}.", "NI number {v}", "NINO: {v}", "HMRC has me as {v} (NI number)."],
        [Phone] = ["Call me on my phone {v} after six.", "tel: {v}", "phone {v}", "You can reach the landlord by phone at {v}."],
        [IpAddress] = ["The login came from IP {v} last night.", "client ip {v}", "Block address {v} on the firewall.", "ssh to host {v} and check the disk"],
        [Secret] = ["Here is our key {v}, please keep it safe.", "export API_KEY={v}", "use token {v} for the CI", "the key {v} leaked in a log"],
    };

    private static readonly Dictionary<string, string[]> ShortTemplates = new(StringComparer.Ordinal)
    {
        [Email] = ["{v}", "mail {v}"],
        [PaymentCard] = ["{v}", "card {v}"],
        [Iban] = ["{v}", "IBAN {v}"],
        [UsSsn] = ["{v}", "SSN {v}"],
        [UkNino] = ["{v}", "NI {v}"],
        [Phone] = ["tel {v}", "phone {v}"],
        [IpAddress] = ["{v}", "ip {v}"],
        [Secret] = ["{v}", "key {v}"],
    };

    /// <summary>The obfuscations that make sense for <paramref name="dataClass"/>.</summary>
    public static IEnumerable<string> ObfuscationsFor(string dataClass) => Obfuscations.Where(o => o switch
    {
        "sep_spaces" or "sep_dots" or "sep_slashes" or "sep_line_break" => DigitClasses.Contains(dataClass),
        "card_in_word" => dataClass == PaymentCard,
        _ when o.StartsWith("email_", StringComparison.Ordinal) => dataClass == Email,
        _ => true,
    });

    /// <summary>Whether <paramref name="obfuscation"/> can be written at <paramref name="position"/>.</summary>
    public static bool Applies(string obfuscation, string position) => obfuscation switch
    {
        "split_content_parts" => position is "user_content_part" or "system" or "assistant_turn" or "tool_result",
        "split_user_messages" => position == "user_content",

        // The data URL is itself base64 of the sentence; the query string is itself URL-encoded.
        _ when Encodings.Contains(obfuscation) && position == "image_data_url" => false,
        "url_encoded_all" or "html_entities_all" when position == "image_url_query" => false,
        _ => true,
    };

    /// <summary>The corpus: every applicable class × obfuscation × position, in a fixed order, from <paramref name="seed"/>.</summary>
    public static List<AdversarialCase> Generate(int seed = DefaultSeed)
    {
        var f = new Faker("en") { Random = new Randomizer(seed) };
        var cases = new List<AdversarialCase>();
        foreach (string dataClass in DataClasses)
        {
            foreach (string obfuscation in ObfuscationsFor(dataClass))
            {
                var positions = Positions.Where(p => Applies(obfuscation, p)).ToList();
                int repeats = positions.Count < 4 ? 4 : 1;
                foreach (string position in positions)
                {
                    for (int r = 0; r < repeats; r++)
                    {
                        cases.Add(Make(f, dataClass, obfuscation, position));
                    }
                }
            }
        }

        return cases;
    }

    private static AdversarialCase Make(Faker f, string dataClass, string obfuscation, string position)
    {
        string value = NewValue(f, dataClass);
        string[] pieces = Carrier(f, dataClass, value, obfuscation, position);
        JsonObject body = Request(f, position, pieces, obfuscation == "split_user_messages");
        return new AdversarialCase(body.ToJsonString(Relaxed), value, dataClass, obfuscation, position);
    }

    // ---- values -------------------------------------------------------------------------------------------------

    /// <summary>A fresh valid value of <paramref name="dataClass"/>, in its plain written form.</summary>
    public static string NewValue(Faker f, string dataClass) => dataClass switch
    {
        Email => NewEmail(f),
        PaymentCard => NewCard(f),
        Iban => NewIban(f),
        UsSsn => NewSsn(f),
        UkNino => NewNino(f),
        Phone => NewPhone(f),
        IpAddress => NewIp(f),
        Secret => NewSecret(f),
        _ => throw new ArgumentOutOfRangeException(nameof(dataClass), dataClass, null),
    };

    private static string Letters(string s) => new([.. s.Where(char.IsAsciiLetter)]);

    private static string NewEmail(Faker f)
    {
        string first = Letters(f.Name.FirstName()).ToLowerInvariant();
        string last = Letters(f.Name.LastName()).ToLowerInvariant();
        first = first.Length == 0 ? "alex" : first;
        last = last.Length == 0 ? "morgan" : last;
        string local = f.Random.Int(0, 3) switch
        {
            0 => first + "." + last,
            1 => first + "_" + last,
            2 => first[0] + last,
            _ => first + f.Random.Int(2, 99).ToString(CultureInfo.InvariantCulture),
        };
        string domain = Letters(f.Internet.DomainWord()).ToLowerInvariant();
        domain = domain.Length < 3 ? "mailbox" : domain;
        return $"{local}@{domain}.{f.PickRandom("com", "org", "net", "io", "de", "co.uk", "fr")}";
    }

    /// <summary>A Luhn-valid number: Visa (4, 16 digits), Mastercard (51–55, 16) or American Express (34/37, 15).</summary>
    private static string NewCard(Faker f)
    {
        string partial = f.Random.Int(0, 2) switch
        {
            0 => "4" + f.Random.String2(14, Digits),
            1 => "5" + f.Random.Int(1, 5).ToString(CultureInfo.InvariantCulture) + f.Random.String2(13, Digits),
            _ => "3" + f.PickRandom("4", "7") + f.Random.String2(12, Digits),
        };
        return partial + LuhnCheckDigit(partial);
    }

    /// <summary>The digit that makes <paramref name="partial"/> followed by it pass the Luhn check.</summary>
    public static char LuhnCheckDigit(string partial)
    {
        int sum = 0;
        bool twice = true;
        for (int i = partial.Length - 1; i >= 0; i--)
        {
            int d = partial[i] - '0';
            if (twice)
            {
                d *= 2;
                d = d > 9 ? d - 9 : d;
            }

            sum += d;
            twice = !twice;
        }

        return (char)('0' + ((10 - (sum % 10)) % 10));
    }

    /// <summary>Whether <paramref name="digits"/> passes the Luhn check.</summary>
    public static bool Luhn(string digits) => LuhnCheckDigit(digits[..^1]) == digits[^1];

    /// <summary>A German, British or French IBAN with computed mod-97 check digits; grouped in fours or unbroken.</summary>
    private static string NewIban(Faker f)
    {
        string country = f.PickRandom("DE", "GB", "FR");
        string bban = country switch
        {
            "DE" => f.Random.String2(18, Digits),
            "GB" => f.Random.String2(4, Upper) + f.Random.String2(14, Digits),
            _ => f.Random.String2(23, Digits),
        };
        int check = 98 - Mod97(bban + country + "00");
        string iban = country + check.ToString("00", CultureInfo.InvariantCulture) + bban;
        return f.Random.Bool() ? string.Join(' ', iban.Chunk(4).Select(c => new string(c))) : iban;
    }

    /// <summary>ISO 7064 mod 97-10 of an alphanumeric string (letters count as 10–35).</summary>
    public static int Mod97(string s)
    {
        int r = 0;
        foreach (char c in s)
        {
            r = char.IsAsciiDigit(c) ? ((r * 10) + (c - '0')) % 97 : ((r * 100) + (char.ToUpperInvariant(c) - 'A' + 10)) % 97;
        }

        return r;
    }

    private static string NewSsn(Faker f)
    {
        while (true)
        {
            int area = f.Random.Int(1, 899);
            int group = f.Random.Int(1, 99);
            int serial = f.Random.Int(1, 9999);
            if (area == 666 || (area, group, serial) is (78, 5, 1120) or (219, 9, 9999) or (457, 55, 5462))
            {
                continue;
            }

            return string.Create(CultureInfo.InvariantCulture, $"{area:000}-{group:00}-{serial:0000}");
        }
    }

    private static string NewNino(Faker f)
    {
        string prefix;
        do
        {
            prefix = f.Random.String2(1, "ABCEGHJKLMNOPRSTWXYZ") + f.Random.String2(1, "ABCEGHJKLMNPRSTWXYZ");
        }
        while (prefix is "BG" or "GB" or "KN" or "NK" or "NT" or "TN" or "ZZ");

        string digits = f.Random.String2(6, Digits);
        string suffix = f.Random.String2(1, "ABCD");
        return f.Random.Bool() ? $"{prefix} {digits[..2]} {digits[2..4]} {digits[4..]} {suffix}" : prefix + digits + suffix;
    }

    /// <summary>E.164 numbers in the ranges set aside for drama: +44 20 7946 0xxx, +1 415 555 01xx.</summary>
    private static string NewPhone(Faker f) =>
        f.Random.Bool() ? "+44 20 7946 0" + f.Random.String2(3, Digits) : "+1 415 555 01" + f.Random.String2(2, Digits);

    private static string NewIp(Faker f)
    {
        int first = f.PickRandom(8, 23, 31, 45, 52, 64, 77, 81, 85, 91, 104, 109, 145, 151, 176, 185, 193, 212, 217);
        return string.Create(CultureInfo.InvariantCulture, $"{first}.{f.Random.Int(0, 255)}.{f.Random.Int(0, 255)}.{f.Random.Int(1, 254)}");
    }

    private static string NewSecret(Faker f)
    {
        while (true)
        {
            string secret = f.Random.Int(0, 2) switch
            {
                0 => "sk-proj-" + f.Random.String2(48, Base62),
                1 => "AKIA" + f.Random.String2(16, Upper + Digits),
                _ => "ghp_" + f.Random.String2(36, Base62),
            };
            if (secret.Any(char.IsAsciiDigit))
            {
                return secret;
            }
        }
    }

    // ---- obfuscations ---------------------------------------------------------------------------------------------

    /// <summary>The text pieces that carry the value: one, or two for the splits (to be put in two parts or messages).</summary>
    private static string[] Carrier(Faker f, string dataClass, string value, string obfuscation, string position)
    {
        bool isShort = ShortPositions.Contains(position);
        string template = f.PickRandom(isShort ? ShortTemplates[dataClass] : Templates[dataClass]);
        string written = obfuscation switch
        {
            "split_content_parts" or "split_user_messages" => Split(f, value, SplitMark),
            "split_line_break" => Split(f, value, "\n"),
            _ when CharLevel.Contains(obfuscation) => Obfuscate(f, dataClass, value, obfuscation),
            _ => value,
        };
        string sentence = template.Replace("{v}", written, StringComparison.Ordinal);
        if (Encodings.Contains(obfuscation))
        {
            string encoded = Encode(sentence, obfuscation);
            sentence = isShort ? encoded : f.PickRandom("decode this: ", "payload ", "blob: ", "", "see attached ") + encoded;
        }

        string text = isShort ? sentence : $"{Prose(f)} {sentence} {Prose(f)}";
        return text.Split(SplitMark);
    }

    private static string Split(Faker f, string value, string mark)
    {
        int k = f.Random.Int(1, value.Length - 1);
        return value[..k] + mark + value[k..];
    }

    /// <summary>Applies a character-level obfuscation to the value itself.</summary>
    public static string Obfuscate(Faker f, string dataClass, string value, string obfuscation) => obfuscation switch
    {
        "plain" => value,
        "zwsp_u200b" => Insert(f, value, '\u200B'),
        "word_joiner_u2060" => Insert(f, value, '\u2060'),
        "zwnj_u200c" => Insert(f, value, '\u200C'),
        "bom_ufeff" => Insert(f, value, '\uFEFF'),
        "soft_hyphen_u00ad" => Insert(f, value, '\u00AD'),
        "fullwidth" => FullWidth(value),
        "sep_spaces" => Regroup(f, dataClass, value),
        "sep_dots" => string.Join('.', Groups(dataClass, value)),
        "sep_slashes" => string.Join('/', Groups(dataClass, value)),
        "sep_line_break" => LineBreakGroups(f, dataClass, value),
        "card_in_word" => f.PickRandom("ref", "no", "cc", "acct", "id") + value + f.PickRandom("x", "z", "end", "_ok"),
        "email_[at]_[dot]" => value.Replace("@", " [at] ", StringComparison.Ordinal).Replace(".", " [dot] ", StringComparison.Ordinal),
        "email_(at)_(dot)" => value.Replace("@", "(at)", StringComparison.Ordinal).Replace(".", "(dot)", StringComparison.Ordinal),
        "email_at_dot_words" => value.Replace("@", " at ", StringComparison.Ordinal).Replace(".", " dot ", StringComparison.Ordinal),
        "email_%40" => value.Replace("@", "%40", StringComparison.Ordinal),
        "email_&#64;" => value.Replace("@", "&#64;", StringComparison.Ordinal),
        "email_&#x40;" => value.Replace("@", "&#x40;", StringComparison.Ordinal),
        _ => throw new ArgumentOutOfRangeException(nameof(obfuscation), obfuscation, null),
    };

    /// <summary>Inserts <paramref name="mark"/> inside the value: between every two characters, or at one to three places.</summary>
    private static string Insert(Faker f, string value, char mark)
    {
        var sb = new StringBuilder(value.Length * 2);
        bool everywhere = f.Random.Bool(0.3f);
        var at = new HashSet<int>();
        int places = f.Random.Int(1, 3);
        while (at.Count < Math.Min(places, value.Length - 1))
        {
            at.Add(f.Random.Int(1, value.Length - 1));
        }

        for (int i = 0; i < value.Length; i++)
        {
            if (i > 0 && (everywhere || at.Contains(i)))
            {
                sb.Append(mark);
            }

            sb.Append(value[i]);
        }

        return sb.ToString();
    }

    /// <summary>ASCII letters, digits and punctuation as their full-width forms (NFKC folds them back); spaces as U+3000.</summary>
    public static string FullWidth(string s) =>
        string.Concat(s.Select(c => c is >= '!' and <= '~' ? (char)(c + 0xFEE0) : c == ' ' ? '\u3000' : c));

    /// <summary>The value's natural groups: 4-4-4-4 or 4-6-5 (cards), fours (IBAN), 3-2-4 (SSN), 2-2-2-2-1 (NINO), as written (phone).</summary>
    private static string[] Groups(string dataClass, string value)
    {
        string compact = new([.. value.Where(c => c is not (' ' or '-'))]);
        int[] sizes = dataClass switch
        {
            PaymentCard => compact.Length == 15 ? [4, 6, 5] : [4, 4, 4, 4],
            Iban => [.. Enumerable.Repeat(4, (compact.Length + 3) / 4)],
            UsSsn => [3, 2, 4],
            UkNino => [2, 2, 2, 2, 1],
            Phone => [.. value.Split(' ').Select(g => g.Length)],
            _ => throw new ArgumentOutOfRangeException(nameof(dataClass), dataClass, null),
        };
        var groups = new List<string>();
        int i = 0;
        foreach (int size in sizes)
        {
            if (i < compact.Length)
            {
                groups.Add(compact.Substring(i, Math.Min(size, compact.Length - i)));
            }

            i += size;
        }

        return [.. groups];
    }

    /// <summary>The characters regrouped in irregular runs of 2–5 separated by single spaces ("41 1111 11 111…").</summary>
    private static string Regroup(Faker f, string dataClass, string value)
    {
        string compact = string.Concat(Groups(dataClass, value));
        var sb = new StringBuilder();
        int i = 0;
        while (i < compact.Length)
        {
            int size = Math.Min(f.Random.Int(2, 5), compact.Length - i);
            if (sb.Length > 0)
            {
                sb.Append(' ');
            }

            sb.Append(compact, i, size);
            i += size;
        }

        return sb.ToString();
    }

    /// <summary>The natural groups separated by spaces, one of the separators a line break ("4111 1111\n1111 1111").</summary>
    private static string LineBreakGroups(Faker f, string dataClass, string value)
    {
        string[] groups = Groups(dataClass, value);
        int broken = f.Random.Int(1, groups.Length - 1);
        var sb = new StringBuilder(groups[0]);
        for (int g = 1; g < groups.Length; g++)
        {
            sb.Append(g == broken ? '\n' : ' ').Append(groups[g]);
        }

        return sb.ToString();
    }

    /// <summary>The sentence in one of the encodings (of its UTF-8 bytes).</summary>
    public static string Encode(string sentence, string encoding)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(sentence);
        return encoding switch
        {
            "base64" => Convert.ToBase64String(bytes),
            "base64url" => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
            "hex" => Convert.ToHexStringLower(bytes),
            "url_encoded_all" => string.Concat(bytes.Select(b => "%" + b.ToString("X2", CultureInfo.InvariantCulture))),
            "html_entities_all" => string.Concat(sentence.Select(c => "&#" + ((int)c).ToString(CultureInfo.InvariantCulture) + ";")),
            _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, null),
        };
    }

    /// <summary>A sentence or two of neutral filler with no sensitive value in it.</summary>
    public static string Prose(Faker f) => f.Random.Int(0, 5) switch
    {
        0 or 1 => f.Lorem.Sentence(f.Random.Int(4, 12)),
        2 => f.Hacker.Phrase(),
        3 => f.Company.CatchPhrase() + ".",
        4 => "We need to " + f.Company.Bs() + ".",
        _ => f.Rant.Review(),
    };

    // ---- requests ------------------------------------------------------------------------------------------------

    private static JsonObject Message(string role, JsonNode? content) => new() { ["role"] = role, ["content"] = content };

    private static JsonArray TextParts(IEnumerable<string> texts) =>
        [.. texts.Select(t => (JsonNode)new JsonObject { ["type"] = "text", ["text"] = t })];

    /// <summary>Message content: the single piece as a string, or the pieces of a split as content parts.</summary>
    private static JsonNode Content(string[] pieces) => pieces.Length == 1 ? JsonValue.Create(pieces[0]) : TextParts(pieces);

    private static JsonObject ToolCallMessage(string id, string argumentsJson) => new()
    {
        ["role"] = "assistant",
        ["content"] = null,
        ["tool_calls"] = new JsonArray(new JsonObject
        {
            ["id"] = id,
            ["type"] = "function",
            ["function"] = new JsonObject { ["name"] = "lookup_record", ["arguments"] = argumentsJson },
        }),
    };

    private static JsonObject Tool(string description, JsonObject queryProperty, JsonObject? extraProperty = null)
    {
        var properties = new JsonObject { ["query"] = queryProperty };
        if (extraProperty is not null)
        {
            properties["mode"] = extraProperty;
        }

        return new JsonObject
        {
            ["type"] = "function",
            ["function"] = new JsonObject
            {
                ["name"] = "lookup_record",
                ["description"] = description,
                ["parameters"] = new JsonObject { ["type"] = "object", ["properties"] = properties, ["required"] = new JsonArray("query") },
            },
        };
    }

    private static JsonObject StringProperty(string description) => new() { ["type"] = "string", ["description"] = description };

    private static string Benign(Faker f) => f.Lorem.Sentence(f.Random.Int(4, 10));

    /// <summary>The request with <paramref name="pieces"/> at <paramref name="position"/> and neutral filler elsewhere.</summary>
    private static JsonObject Request(Faker f, string position, string[] pieces, bool splitMessages)
    {
        string text = pieces[0];
        var body = new JsonObject { ["model"] = "hosted-first" };
        var messages = new JsonArray();
        if (position != "system" && f.Random.Bool(0.4f))
        {
            messages.Add(Message("system", "You are a helpful assistant. " + Benign(f)));
        }

        string callId = "call_" + f.Random.String2(12, Base62);
        switch (position)
        {
            case "user_content" when splitMessages:
                messages.Add(Message("user", pieces[0]));
                messages.Add(Message("user", pieces[1]));
                break;
            case "user_content":
                messages.Add(Message("user", text));
                break;
            case "user_content_part":
                messages.Add(Message("user", pieces.Length > 1 ? TextParts(pieces) : TextParts(f.Random.Bool() ? [Benign(f), text] : [text])));
                break;
            case "system":
                messages.Insert(0, Message("system", Content(pieces)));
                messages.Add(Message("user", Benign(f)));
                break;
            case "assistant_turn":
                messages.Add(Message("user", Benign(f)));
                messages.Add(Message("assistant", Content(pieces)));
                messages.Add(Message("user", Benign(f)));
                break;
            case "message_name":
                var named = Message("user", Benign(f));
                named["name"] = text;
                messages.Add(named);
                break;
            case "user_field":
                messages.Add(Message("user", Benign(f)));
                body["user"] = text;
                break;
            case "stop":
                messages.Add(Message("user", Benign(f)));
                body["stop"] = new JsonArray("\n\n", text);
                break;
            case "tool_description":
                messages.Add(Message("user", Benign(f)));
                body["tools"] = new JsonArray(Tool(text, StringProperty("What to look up.")));
                break;
            case "tool_param_description":
                messages.Add(Message("user", Benign(f)));
                body["tools"] = new JsonArray(Tool("Looks a record up.", StringProperty(text)));
                break;
            case "schema_enum":
                messages.Add(Message("user", Benign(f)));
                body["tools"] = new JsonArray(Tool("Looks a record up.", StringProperty("What to look up."), new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("standard", text) }));
                break;
            case "schema_default":
                messages.Add(Message("user", Benign(f)));
                body["tools"] = new JsonArray(Tool("Looks a record up.", new JsonObject { ["type"] = "string", ["description"] = "What to look up.", ["default"] = text }));
                break;
            case "schema_examples":
                messages.Add(Message("user", Benign(f)));
                body["tools"] = new JsonArray(Tool("Looks a record up.", new JsonObject { ["type"] = "string", ["description"] = "What to look up.", ["examples"] = new JsonArray(text) }));
                break;
            case "response_format_description":
            case "response_format_schema_description":
                messages.Add(Message("user", Benign(f)));
                bool onSchema = position == "response_format_schema_description";
                body["response_format"] = new JsonObject
                {
                    ["type"] = "json_schema",
                    ["json_schema"] = new JsonObject
                    {
                        ["name"] = "x",
                        ["description"] = onSchema ? "The answer." : text,
                        ["schema"] = new JsonObject
                        {
                            ["type"] = "object",
                            ["properties"] = new JsonObject { ["answer"] = StringProperty(onSchema ? text : "The answer text.") },
                        },
                    },
                };
                break;
            case "tool_call_arguments":
                messages.Add(Message("user", Benign(f)));
                var arguments = new JsonObject { ["query"] = text };

                // Half the time the arguments string escapes non-ASCII (\u200B …) as the default encoder does.
                messages.Add(ToolCallMessage(callId, f.Random.Bool() ? arguments.ToJsonString(Relaxed) : arguments.ToJsonString()));
                messages.Add(new JsonObject { ["role"] = "tool", ["tool_call_id"] = callId, ["content"] = "No record found." });
                messages.Add(Message("user", Benign(f)));
                body["tools"] = new JsonArray(Tool("Looks a record up.", StringProperty("What to look up.")));
                break;
            case "tool_result":
                messages.Add(Message("user", Benign(f)));
                messages.Add(ToolCallMessage(callId, new JsonObject { ["query"] = f.Lorem.Word() }.ToJsonString()));
                messages.Add(new JsonObject { ["role"] = "tool", ["tool_call_id"] = callId, ["content"] = Content(pieces) });
                messages.Add(Message("user", Benign(f)));
                body["tools"] = new JsonArray(Tool("Looks a record up.", StringProperty("What to look up.")));
                break;
            case "image_data_url":
                string data = "data:text/plain;base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
                messages.Add(Message("user", ImageMessage(Benign(f), data)));
                break;
            case "image_url_query":
                string url = "https://img.example.net/a.png?u=" + Uri.EscapeDataString(text);
                messages.Add(Message("user", ImageMessage(Benign(f), url)));
                break;
            case "metadata":
                messages.Add(Message("user", Benign(f)));
                body["metadata"] = new JsonObject { ["note"] = text };
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(position), position, null);
        }

        body["messages"] = messages;
        return body;
    }

    private static JsonArray ImageMessage(string text, string url) =>
    [
        new JsonObject { ["type"] = "text", ["text"] = text },
        new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = url } },
    ];
}
