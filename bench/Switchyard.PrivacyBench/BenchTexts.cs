using System.Globalization;
using System.Text;
using Bogus;
using Switchyard.PrivacyBench.Corpus;

namespace Switchyard.PrivacyBench;

/// <summary>
/// The prompts the scan benchmarks run over, each about <see cref="TargetLength"/> characters, deterministic:
/// <list type="bullet">
/// <item><c>prose</c>: English prose (Bogus reviews, catch-phrases, hacker phrases) with one sensitive value about
/// every 2 KiB;</item>
/// <item><c>code</c>: code, config and log lines — identifiers, paths, URLs, UUIDs, hex, timestamps, colons — with
/// an occasional key;</item>
/// <item><c>digits</c>: tables of dates, amounts, ids, phone numbers, IPs and card-like numbers;</item>
/// <item><c>corpus</c>: samples of the labelled corpus in all its locales, dense with values and decoys.</item>
/// <item><c>obfuscated</c>: the worst case for the readings before detection — prose over many lines with zero-width
/// characters, full-width digits, HTML entities, percent-escapes, "at"/"dot" spellings, split digit groups and base64
/// and hex blobs, one obfuscated value about every 512 characters.</item>
/// </list>
/// </summary>
internal static class BenchTexts
{
    public const int TargetLength = 16 * 1024;

    public static IReadOnlyList<string> Kinds { get; } = ["prose", "code", "digits", "corpus", "obfuscated"];

    private static readonly Dictionary<string, string> Cache = new(StringComparer.Ordinal);

    public static string Get(string kind)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(kind, out string? text))
            {
                text = kind switch
                {
                    "prose" => Prose(),
                    "code" => Code(),
                    "digits" => DigitsText(),
                    "corpus" => CorpusText(),
                    "obfuscated" => Obfuscated(),
                    _ => throw new ArgumentException($"unknown text kind '{kind}'", nameof(kind)),
                };
                Cache[kind] = text;
            }

            return text;
        }
    }

    /// <summary>The size of <paramref name="kind"/>'s text in KiB of UTF-8.</summary>
    public static double KiB(string kind) => Encoding.UTF8.GetByteCount(Get(kind)) / 1024.0;

    private static string Obfuscated()
    {
        Faker f = English(303);
        var sb = new StringBuilder();
        while (sb.Length < TargetLength)
        {
            string sentence = f.Rant.Review();
            sb.Append(sentence.Length > 400 ? sentence[..400] : sentence).Append('\n');
            string email = f.Internet.Email();
            string card = "4111111111111111";
            sb.Append(f.Random.Int(0, 7) switch
            {
                0 => "mail " + email.Replace("@", "\u200B@\u2060", StringComparison.Ordinal),
                1 => "card " + string.Concat(card.Select(c => (char)(c + 0xFEE0))),
                2 => "mail " + email.Replace("@", "&#64;", StringComparison.Ordinal) + " or " + email.Replace("@", "%40", StringComparison.Ordinal),
                3 => "write to " + email.Replace("@", " [at] ", StringComparison.Ordinal).Replace(".", " [dot] ", StringComparison.Ordinal),
                4 => "card 4111.1111\n1111.1111 ok",
                5 => "blob " + Convert.ToBase64String(Encoding.UTF8.GetBytes("contact " + email + " please")),
                6 => "hex " + Convert.ToHexString(Encoding.UTF8.GetBytes("ssn 536-22-1234")),
                _ => "ref" + card + "x",
            }).Append('\n');
        }

        return sb.ToString(0, TargetLength);
    }

    private static Faker English(int seed) => new("en") { Random = new Randomizer(seed) };

    private static string Prose()
    {
        Faker f = English(101);
        var sb = new StringBuilder();
        int nextValue = 2048;
        while (sb.Length < TargetLength)
        {
            sb.Append(f.Random.Int(0, 3) switch
            {
                0 => f.Rant.Review(),
                1 => f.Company.CatchPhrase() + ".",
                2 => f.Hacker.Phrase(),
                _ => $"{f.Name.FullName()} from {f.Company.CompanyName()} said the {f.Commerce.ProductName()} arrived on time.",
            });
            sb.Append(' ');
            if (sb.Length >= nextValue)
            {
                sb.Append(f.Random.Int(0, 3) switch
                {
                    0 => $"You can reach me at {f.Internet.Email()} or {f.Phone.PhoneNumber("(###) ###-####")}. ",
                    1 => $"My IBAN is {f.Finance.Iban(true)}. ",
                    2 => $"The server is at {f.Internet.Ip()}. ",
                    _ => $"Use the key sk-proj-{f.Random.AlphaNumeric(48)} for now. ",
                });
                nextValue += 2048;
            }
        }

        return sb.ToString(0, TargetLength);
    }

    private static string Code()
    {
        Faker f = English(202);
        var sb = new StringBuilder();
        int line = 0;
        while (sb.Length < TargetLength)
        {
            line++;
            string word = f.Hacker.Noun().Replace(" ", "", StringComparison.Ordinal);
            string verb = CultureInfo.InvariantCulture.TextInfo.ToTitleCase(f.Hacker.Verb());
            sb.AppendLine(f.Random.Int(0, 9) switch
            {
                0 => $"public async Task<{word}Result> {verb}{word}Async(Guid id, CancellationToken ct = default) {{",
                1 => $"    var {word.ToLowerInvariant()} = await _client.GetFromJsonAsync<{word}Dto>($\"/api/v2/{word.ToLowerInvariant()}s/{{id}}\", ct);",
                2 => $"    if ({word.ToLowerInvariant()}.Count > {f.Random.Int(1, 500)} && !options.Value.Enabled) return null; // {f.Hacker.Phrase()}",
                3 => $"  \"{word.ToLowerInvariant()}\": {{ \"id\": \"{f.Random.Uuid()}\", \"enabled\": {(f.Random.Bool() ? "true" : "false")}, \"timeout\": \"00:00:{f.Random.Int(10, 59)}\" }},",
                4 => $"{f.Date.Between(new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc)):yyyy-MM-ddTHH:mm:ss.fffZ} info: {word}Service[{f.Random.Int(1, 99)}] request {f.Random.Hexadecimal(16, "")} finished in {f.Random.Double(0.1, 900):0.0}ms",
                5 => $"  {word.ToLowerInvariant()}_url: https://{f.Internet.DomainName()}/{word.ToLowerInvariant()}/{f.System.FileName()}",
                6 => $"commit {f.Random.Hexadecimal(40, "")} Merge: {f.Random.Hexadecimal(7, "")} {f.Random.Hexadecimal(7, "")}",
                7 => $"    at Switchyard.{word}.{verb}{word}() in /src/Switchyard.Core/{word}/{verb}.cs:line {f.Random.Int(10, 900)}",
                8 => line % 40 == 0
                    ? $"OPENAI_API_KEY=sk-proj-{f.Random.AlphaNumeric(48)}"
                    : $"std::vector<{word}> items; items.reserve({f.Random.Int(1, 64)}); // {f.Lorem.Sentence()}",
                _ => $"    }} // end {verb}{word}",
            });
        }

        return sb.ToString(0, TargetLength);
    }

    private static string DigitsText()
    {
        Faker f = English(303);
        var sb = new StringBuilder("date,order,amount,qty,customer,phone,ip,ref\n");
        while (sb.Length < TargetLength)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{f.Date.Between(new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc)):yyyy-MM-dd},")
                .Append(CultureInfo.InvariantCulture, $"{f.Random.Int(10_000_000, 99_999_999)},{f.Random.Double(1, 99_999):0.00},{f.Random.Int(1, 500)},")
                .Append(CultureInfo.InvariantCulture, $"C-{f.Random.Int(100_000, 999_999)},")
                .Append(f.Random.Int(0, 4) == 0 ? f.Phone.PhoneNumber("+1 ###-###-####") : f.Random.Int(1000, 9999).ToString(CultureInfo.InvariantCulture))
                .Append(',')
                .Append(f.Random.Int(0, 4) == 0 ? f.Internet.Ip() : f.Random.Int(1, 9).ToString(CultureInfo.InvariantCulture) + "." + f.Random.Int(0, 99).ToString(CultureInfo.InvariantCulture))
                .Append(',')
                .Append(f.Random.Int(0, 9) == 0 ? f.Finance.CreditCardNumber() : f.Random.String2(12, "0123456789"))
                .Append('\n');
        }

        return sb.ToString(0, TargetLength);
    }

    private static string CorpusText()
    {
        var sb = new StringBuilder();
        var corpus = new PrivacyCorpus(404);
        while (sb.Length < TargetLength)
        {
            sb.Append(corpus.Next().Text).Append('\n');
        }

        return sb.ToString(0, TargetLength);
    }
}
