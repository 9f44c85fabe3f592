using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bogus;

namespace Switchyard.Tests.Privacy.Adversarial;

/// <summary>A generated request with no personal data or secret in it.</summary>
/// <param name="Body">The request body (route <c>hosted-first</c>).</param>
/// <param name="Category">What kind of text it carries (<see cref="BenignCorpus.Categories"/>).</param>
/// <param name="Sample">The characteristic text, for reports.</param>
internal sealed record BenignCase(string Body, string Category, string Sample);

/// <summary>
/// A seeded corpus of ordinary requests that a privacy boundary must let through: prose, source code (C#, Python,
/// JavaScript, SQL), logs with timestamps, UUIDs, digests and commit ids, version strings, CSV rows, JSON documents,
/// prices, dates, ISBNs, order and tracking numbers, long integers that are not Luhn-valid card numbers, base64 of a
/// harmless config file, URLs without personal data, "look at example.com" / "meet at 5 pm" prose and markdown. Some
/// requests also carry neutral tool definitions, a JSON schema response format, a <c>stop</c> list or a
/// <c>user</c> id, so every field a scanner may read is exercised.
/// </summary>
internal static class BenignCorpus
{
    /// <summary>The seed the routing tests use.</summary>
    public const int DefaultSeed = 20261215;

    /// <summary>Requests per category.</summary>
    public const int PerCategory = 60;

    public static readonly string[] Categories =
    [
        "prose", "code_csharp", "code_python", "code_javascript", "code_sql", "log", "uuid", "hash", "version", "csv",
        "json", "price", "date", "isbn", "order_number", "tracking_id", "long_integer", "base64_config", "url",
        "at_prose", "markdown", "cjk_fullwidth", "emoji_zwj", "soft_hyphen_prose", "html_entities", "url_encoded", "hex_dump",
    ];

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonSerializerOptions Indented = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = true };

    private const string Digits = "0123456789";
    private const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string Hex = "0123456789abcdef";

    private static readonly DateTime From = new(2023, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime To = new(2026, 12, 31, 0, 0, 0, DateTimeKind.Utc);

    private static readonly string[] Questions =
    [
        "Can you explain what this does?", "Please summarise this.", "What is wrong here?", "Rewrite this more clearly.",
        "Is this correct?", "How would you improve it?", "Translate this into plain English.", "Any thoughts?",
    ];

    /// <summary><see cref="PerCategory"/> requests of every category, interleaved.</summary>
    public static List<BenignCase> Generate(int seed = DefaultSeed)
    {
        var f = new Faker("en") { Random = new Randomizer(seed) };
        var cases = new List<BenignCase>(PerCategory * Categories.Length);
        for (int i = 0; i < PerCategory; i++)
        {
            foreach (string category in Categories)
            {
                string sample = Sample(f, category);
                cases.Add(new BenignCase(Request(f, sample).ToJsonString(Relaxed), category, sample));
            }
        }

        return cases;
    }

    private static string Inv(FormattableString s) => FormattableString.Invariant(s);

    private static string Sample(Faker f, string category) => category switch
    {
        "prose" => f.Random.Int(0, 3) switch
        {
            0 => f.Lorem.Paragraph(),
            1 => f.Rant.Review(f.Commerce.Product()),
            2 => $"{f.Company.CatchPhrase()}. {f.Lorem.Sentence()} {f.Commerce.ProductDescription()}",
            _ => $"Our team at {f.Company.CompanyName()} wants to {f.Company.Bs()}. {f.Lorem.Sentences(2)}",
        },
        "code_csharp" => CSharp(f),
        "code_python" => Python(f),
        "code_javascript" => JavaScript(f),
        "code_sql" => Sql(f),
        "log" => Log(f),
        "uuid" => f.Random.Int(0, 2) switch
        {
            0 => $"The request id was {f.Random.Uuid()} and the trace id {f.Random.Uuid():N}.",
            1 => $"DELETE /api/projects/{f.Random.Uuid()} returned 404.",
            _ => $"Correlation-Id: {f.Random.Uuid()}",
        },
        "hash" => f.Random.Int(0, 3) switch
        {
            0 => $"sha256: {Convert.ToHexStringLower(SHA256.HashData(f.Random.Bytes(32)))}",
            1 => $"Revert commit {f.Random.String2(40, Hex)} because it broke the build.",
            2 => $"Fixed in {f.Random.String2(7, Hex)}, cherry-picked as {f.Random.String2(7, Hex)}.",
            _ => $"sha1 {f.Random.String2(40, Hex)}  {f.System.FileName()}",
        },
        "version" => f.Random.Int(0, 4) switch
        {
            0 => Inv($"Upgrade to v{f.Random.Int(1, 20)}.{f.Random.Int(0, 9)}.{f.Random.Int(0, 30)} before the release."),
            1 => Inv($"We run version {f.Random.Int(1, 9)}.{f.Random.Int(0, 9)}.{f.Random.Int(0, 9)}.{f.Random.Int(0, 999)} of the agent."),
            2 => Inv($"Requires .NET {f.Random.Int(8, 10)}.0.{f.Random.Int(100, 400)} and Node {f.Random.Int(18, 24)}.{f.Random.Int(0, 12)}.{f.Random.Int(0, 9)}."),
            3 => $"Bump {f.Hacker.Noun().Replace(' ', '-')} from {f.System.Semver()} to {f.System.Semver()}.",
            _ => Inv($"Python 3.{f.Random.Int(8, 13)}.{f.Random.Int(0, 9)}, numpy {f.Random.Int(1, 2)}.{f.Random.Int(0, 26)}.{f.Random.Int(0, 5)}"),
        },
        "csv" => Csv(f),
        "json" => JsonDocumentText(f),
        "price" => f.Random.Int(0, 3) switch
        {
            0 => Inv($"The plan costs ${f.Random.Int(1, 9)},{f.Random.Int(100, 999)}.{f.Random.Int(10, 99)} per year."),
            1 => Inv($"Total: {f.Random.Int(1, 99)}.{f.Random.Int(100, 999)},{f.Random.Int(10, 99)} EUR incl. VAT"),
            2 => $"{f.Commerce.ProductName()} is on sale for {f.Commerce.Price(5, 900, 2, "£")}, down from {f.Commerce.Price(900, 2000, 2, "£")}.",
            _ => Inv($"Budget {f.Random.Int(10, 999)}k USD, spent {f.Random.Int(1, 99)}.{f.Random.Int(0, 9)}% so far."),
        },
        "date" => Date(f),
        "isbn" => f.Random.Bool() ? $"See ISBN {Isbn13(f)} for the reference." : $"Second edition, ISBN-10 {Isbn10(f)}.",
        "order_number" => f.Random.Int(0, 3) switch
        {
            0 => Inv($"Order ORD-{f.Random.Int(2020, 2026)}-{f.Random.Int(0, 999999):000000} has shipped."),
            1 => Inv($"Invoice INV-{f.Random.Int(2020, 2026)}-{f.Random.Int(1, 99999):00000} is overdue."),
            2 => Inv($"Re: order #{f.Random.Int(100000, 9999999)}"),
            _ => Inv($"PO {f.Random.Int(45, 49)}{f.Random.String2(8, Digits)} was approved."),
        },
        "tracking_id" => f.Random.Int(0, 2) switch
        {
            0 => $"UPS tracking 1Z{f.Random.String2(6, Upper + Digits)}{f.Random.String2(10, Digits)}",
            1 => $"The parcel {f.Random.String2(2, Upper)}{f.Random.String2(9, Digits)}GB is in transit.",
            _ => $"Shipment {f.Random.String2(12, Digits)} left the depot.",
        },
        "long_integer" => LongInteger(f),
        "base64_config" => Base64Config(f),
        "url" => f.Random.Int(0, 2) switch
        {
            0 => Inv($"See https://docs.example.com/guides/{f.Lorem.Slug(3)}?page={f.Random.Int(1, 9)}&lang=en for details."),
            1 => Inv($"The source is at https://github.com/example/{f.Lorem.Word()}/blob/main/src/{f.System.FileName("cs")}#L{f.Random.Int(1, 400)}"),
            _ => $"Download from https://downloads.example.org/{f.Lorem.Word()}/{f.System.Semver()}/setup.tar.gz",
        },
        "at_prose" => f.Random.Int(0, 5) switch
        {
            0 => $"Look at example.com for the {f.Lorem.Word()} docs.",
            1 => Inv($"Let's meet at {f.Random.Int(1, 12)} pm in room {f.Random.Int(1, 40)}."),
            2 => Inv($"The build finished at {f.Random.Int(0, 23):00}:{f.Random.Int(0, 59):00} and the deploy at {f.Random.Int(0, 23):00}:{f.Random.Int(0, 59):00}."),
            3 => Inv($"Point the browser at localhost:{f.Random.Int(3000, 9000)} and log in as admin."),
            4 => $"Package names like com.example.{f.Lorem.Word()} use reverse dot notation.",
            _ => $"We are at {f.Address.City()} this week, then at the {f.Company.CompanyName()} office.",
        },
        "markdown" => Markdown(f),

        // Benign uses of what the adversarial corpus abuses: full-width forms, format characters, entities, escapes, hex.
        "cjk_fullwidth" => f.Random.Int(0, 3) switch
        {
            0 => Inv($"会議は{AdversarialCorpus.FullWidth(f.Random.Int(2024, 2026).ToString(CultureInfo.InvariantCulture))}年{AdversarialCorpus.FullWidth(f.Random.Int(1, 12).ToString(CultureInfo.InvariantCulture))}月{AdversarialCorpus.FullWidth(f.Random.Int(1, 28).ToString(CultureInfo.InvariantCulture))}日の午後です。"),
            1 => $"价格：{AdversarialCorpus.FullWidth(f.Random.Int(100, 99999).ToString(CultureInfo.InvariantCulture))}元（含税）",
            2 => $"型番：{AdversarialCorpus.FullWidth(f.Random.String2(3, Upper) + "-" + f.Random.Int(100, 999).ToString(CultureInfo.InvariantCulture))}　在庫あり",
            _ => $"第{AdversarialCorpus.FullWidth(f.Random.Int(1, 20).ToString(CultureInfo.InvariantCulture))}章　{f.Lorem.Word()}について",
        },
        "emoji_zwj" => f.Random.Int(0, 2) switch
        {
            0 => $"Great work team \U0001F469\u200D\U0001F4BB\U0001F389 — {f.Lorem.Sentence()}",
            1 => $"{f.Lorem.Sentence()} \U0001F468\u200D\U0001F469\u200D\U0001F467 family plan, \U0001F3F3\uFE0F\u200D\U0001F308 pride month.",
            _ => $"Status: \u2705 done, \U0001F9D1\u200D\U0001F527 on call, build \u2060#{f.Random.Int(100, 9999)}",
        },
        "soft_hyphen_prose" => f.Random.Int(0, 2) switch
        {
            0 => $"Die Donau\u00ADdampf\u00ADschiff\u00ADfahrts\u00ADgesellschaft wurde {f.Random.Int(1820, 1850)} gegründet.",
            1 => $"Inter\u00ADnationali\u00ADzation and locali\u00ADzation take {f.Random.Int(2, 30)} days.",
            _ => $"{f.Lorem.Sentence()} Ver\u00ADsion\u00ADing is hard\u200B—really.",
        },
        "html_entities" => f.Random.Int(0, 2) switch
        {
            0 => $"<p>{f.Company.CompanyName()} &amp; partners &mdash; &copy; {f.Random.Int(2000, 2026)}</p>",
            1 => $"Escape it as &lt;div class=&quot;{f.Lorem.Word()}&quot;&gt; and &#39;quotes&#39;.",
            _ => $"Price &euro;{f.Random.Int(1, 999)} &ndash; {f.Random.Int(10, 60)}&#37; off &#8212; today only",
        },
        "url_encoded" => f.Random.Int(0, 1) switch
        {
            0 => $"The query was q={Uri.EscapeDataString(f.Lorem.Sentence(3))}&page={f.Random.Int(1, 20)}&sort=desc",
            _ => $"redirect_uri={Uri.EscapeDataString("https://app.example.com/callback?step=" + f.Random.Int(1, 9).ToString(CultureInfo.InvariantCulture))}",
        },
        "hex_dump" => HexDump(f),
        _ => throw new ArgumentOutOfRangeException(nameof(category), category, null),
    };

    private static string Identifier(Faker f)
    {
        string word = new([.. f.Hacker.Noun().Where(char.IsAsciiLetter)]);
        return word.Length == 0 ? "Item" : char.ToUpperInvariant(word[0]) + word[1..];
    }

    private static string CSharp(Faker f)
    {
        string name = Identifier(f);
        return Inv($$"""
            public sealed class {{name}}Service(HttpClient http)
            {
                private const int MaxRetries = {{f.Random.Int(2, 9)}};

                public async Task<{{name}}?> GetAsync(Guid id, CancellationToken ct)
                {
                    for (int attempt = 0; attempt < MaxRetries; attempt++)
                    {
                        var response = await http.GetAsync($"api/{{name.ToLowerInvariant()}}s/{id}?limit={{f.Random.Int(10, 500)}}", ct);
                        if (response.IsSuccessStatusCode) return await response.Content.ReadFromJsonAsync<{{name}}>(ct);
                        await Task.Delay(TimeSpan.FromMilliseconds({{f.Random.Int(100, 2000)}} * attempt), ct);
                    }
                    return null;
                }
            }
            """);
    }

    private static string Python(Faker f)
    {
        string name = Identifier(f).ToLowerInvariant();
        return Inv($$"""
            def average_{{name}}(values: list[float], weight: float = {{f.Random.Int(1, 9)}}.{{f.Random.Int(0, 99)}}) -> float:
                total = sum(v * weight for v in values if v > {{f.Random.Int(0, 100)}})
                return round(total / max(len(values), 1), {{f.Random.Int(1, 4)}})

            if __name__ == "__main__":
                print(average_{{name}}([{{f.Random.Int(1, 999)}}, {{f.Random.Int(1, 999)}}.5, {{f.Random.Int(1, 999)}}]))
            """);
    }

    private static string JavaScript(Faker f)
    {
        string name = Identifier(f);
        return Inv($$"""
            export async function fetch{{name}}(id, page = {{f.Random.Int(1, 5)}}) {
              const res = await fetch(`/api/{{name.ToLowerInvariant()}}/${id}?page=${page}&size={{f.Random.Int(10, 100)}}`);
              if (!res.ok) throw new Error(`HTTP ${res.status}`);
              const data = await res.json();
              return data.items.filter(x => x.score > {{f.Random.Int(1, 99)}}).map(x => ({ ...x, seen: true }));
            }
            """);
    }

    private static string Sql(Faker f) => Inv($"""
        SELECT o.id, o.total, c.region
        FROM orders o JOIN customers c ON c.id = o.customer_id
        WHERE o.created_at >= '{f.Date.Between(From, To):yyyy-MM-dd}' AND o.total > {f.Random.Int(10, 5000)}.{f.Random.Int(0, 99):00}
        GROUP BY c.region HAVING COUNT(*) > {f.Random.Int(2, 50)}
        ORDER BY o.total DESC LIMIT {f.Random.Int(10, 100)};
        """);

    private static string Log(Faker f)
    {
        var sb = new StringBuilder();
        DateTime t = f.Date.Between(From, To);
        int lines = f.Random.Int(3, 6);
        for (int i = 0; i < lines; i++)
        {
            t = t.AddMilliseconds(f.Random.Int(1, 90_000));
            string level = f.PickRandom("INFO", "WARN", "DEBUG", "ERROR");
            string message = f.Random.Int(0, 3) switch
            {
                0 => Inv($"GET /api/{f.Lorem.Word()}/{f.Random.Int(1, 99999)} status={f.PickRandom(200, 201, 404, 500)} duration={f.Random.Int(1, 900)}ms"),
                1 => Inv($"processed {f.Random.Int(1, 5000)} items from queue {f.Lorem.Word()}"),
                2 => Inv($"retrying connection to db-{f.Random.Int(1, 9)}.internal (attempt {f.Random.Int(1, 5)})"),
                _ => Inv($"cache hit ratio {f.Random.Int(50, 99)}.{f.Random.Int(0, 9)}%"),
            };
            sb.Append(Inv($"{t:yyyy-MM-ddTHH:mm:ss.fffZ} {level,-5} [worker-{f.Random.Int(1, 16)}] {message}\n"));
        }

        return sb.ToString();
    }

    private static string Csv(Faker f)
    {
        var sb = new StringBuilder("date,region,units,revenue,margin\n");
        DateTime d = f.Date.Between(From, To);
        int rows = f.Random.Int(3, 8);
        for (int i = 0; i < rows; i++)
        {
            sb.Append(Inv($"{d.AddDays(i):yyyy-MM-dd},{f.PickRandom("north", "south", "east", "west")},{f.Random.Int(1, 9999)},{f.Random.Int(100, 999999)}.{f.Random.Int(0, 99):00},{f.Random.Double(0, 1):0.000}\n"));
        }

        return sb.ToString();
    }

    private static string JsonDocumentText(Faker f)
    {
        var doc = new JsonObject
        {
            ["id"] = f.Random.Int(1, 999999),
            ["sku"] = Inv($"{f.Random.String2(3, Upper)}-{f.Random.Int(1000, 9999)}"),
            ["name"] = f.Commerce.ProductName(),
            ["price"] = Math.Round(f.Random.Double(1, 900), 2),
            ["tags"] = new JsonArray(f.Commerce.ProductAdjective(), f.Commerce.ProductMaterial()),
            ["stock"] = new JsonObject { ["warehouse"] = f.Random.Int(0, 500), ["store"] = f.Random.Int(0, 50) },
            ["created"] = f.Date.Between(From, To).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        };
        return doc.ToJsonString(f.Random.Bool() ? Indented : Relaxed);
    }

    private static string Date(Faker f)
    {
        DateTime d = f.Date.Between(From, To);
        return f.Random.Int(0, 4) switch
        {
            0 => Inv($"The deadline is {d:yyyy-MM-dd}."),
            1 => Inv($"Delivered on {d:dd/MM/yyyy} at {d:HH:mm}."),
            2 => $"Starting {d.ToString("MMMM d, yyyy", CultureInfo.InvariantCulture)} the office is closed.",
            3 => Inv($"Meeting moved to {d:dd.MM.yyyy}."),
            _ => Inv($"Q{(d.Month + 2) / 3} {d:yyyy} report, week {f.Random.Int(1, 52)}"),
        };
    }

    private static string Isbn13(Faker f)
    {
        string digits = f.PickRandom("978", "979") + f.Random.String2(9, Digits);
        int sum = 0;
        for (int i = 0; i < 12; i++)
        {
            sum += (digits[i] - '0') * (i % 2 == 0 ? 1 : 3);
        }

        digits += (char)('0' + ((10 - (sum % 10)) % 10));
        return f.Random.Bool() ? digits : $"{digits[..3]}-{digits[3]}-{digits[4..8]}-{digits[8..12]}-{digits[12]}";
    }

    private static string Isbn10(Faker f)
    {
        string digits = f.Random.String2(9, Digits);
        int sum = 0;
        for (int i = 0; i < 9; i++)
        {
            sum += (digits[i] - '0') * (10 - i);
        }

        int check = (11 - (sum % 11)) % 11;
        return $"{digits[0]}-{digits[1..4]}-{digits[4..9]}-{(check == 10 ? "X" : check.ToString(CultureInfo.InvariantCulture))}";
    }

    /// <summary>A 13–19 digit number that fails the Luhn check (some in card issuer ranges), in a sentence.</summary>
    private static string LongInteger(Faker f)
    {
        string number;
        do
        {
            int length = f.Random.Int(13, 19);
            string first = f.PickRandom("4", "51", "37", "6011", "1", "2", "7", "9");
            number = first + f.Random.String2(length - first.Length, Digits);
        }
        while (AdversarialCorpus.Luhn(number));

        return f.Random.Int(0, 3) switch
        {
            0 => $"Row {number} failed validation.",
            1 => $"The snowflake id is {number}.",
            2 => $"counter = {number}",
            _ => $"Batch {number} was imported twice.",
        };
    }

    private static string Base64Config(Faker f)
    {
        string config = Inv($"""
            server.port={f.Random.Int(1024, 9999)}
            server.host=localhost
            logging.level={f.PickRandom("INFO", "WARN", "DEBUG")}
            feature.{f.Lorem.Word()}.enabled={(f.Random.Bool() ? "true" : "false")}
            cache.ttl.seconds={f.Random.Int(30, 3600)}
            pool.size={f.Random.Int(2, 64)}
            """);
        return $"Here is our {f.Lorem.Word()} config, base64-encoded: {Convert.ToBase64String(Encoding.UTF8.GetBytes(config))}";
    }

    private static string HexDump(Faker f)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(f.Lorem.Sentence(4));
        var sb = new StringBuilder("xxd output:\n");
        for (int offset = 0; offset < bytes.Length; offset += 16)
        {
            var line = bytes.Skip(offset).Take(16).ToArray();
            sb.Append(Inv($"{offset:x8}: "))
                .Append(string.Join(' ', line.Chunk(2).Select(Convert.ToHexStringLower)))
                .Append("  ")
                .Append(new string([.. line.Select(b => b is >= 32 and < 127 ? (char)b : '.')]))
                .Append('\n');
        }

        return sb.ToString();
    }

    private static string Markdown(Faker f) => Inv($"""
        # {f.Company.CatchPhrase()}

        {f.Lorem.Sentence()}

        - [ ] {f.Hacker.Verb()} the {f.Hacker.Noun()}
        - [x] {f.Hacker.Verb()} the {f.Hacker.Adjective()} {f.Hacker.Noun()}

        | step | minutes |
        | ---- | ------- |
        | build | {f.Random.Int(1, 30)} |
        | test | {f.Random.Int(1, 30)} |

        ```bash
        dotnet test --filter {Identifier(f)}
        ```
        """);

    /// <summary>The sample in a user message, sometimes with neutral tools, a schema, a stop list or a user id around it.</summary>
    private static JsonObject Request(Faker f, string sample)
    {
        var messages = new JsonArray();
        if (f.Random.Bool(0.4f))
        {
            messages.Add(new JsonObject { ["role"] = "system", ["content"] = "You are a careful assistant. " + f.Lorem.Sentence() });
        }

        string question = f.PickRandom(Questions);
        messages.Add(new JsonObject { ["role"] = "user", ["content"] = f.Random.Bool() ? $"{question}\n\n{sample}" : $"{sample}\n\n{question}" });
        var body = new JsonObject { ["model"] = "hosted-first", ["messages"] = messages };
        if (f.Random.Bool(0.15f))
        {
            body["tools"] = new JsonArray(new JsonObject
            {
                ["type"] = "function",
                ["function"] = new JsonObject
                {
                    ["name"] = "search_docs",
                    ["description"] = "Searches the product documentation. " + f.Lorem.Sentence(),
                    ["parameters"] = new JsonObject
                    {
                        ["type"] = "object",
                        ["properties"] = new JsonObject
                        {
                            ["query"] = new JsonObject { ["type"] = "string", ["description"] = "Search terms.", ["examples"] = new JsonArray("retry policy", "rate limits") },
                            ["limit"] = new JsonObject { ["type"] = "integer", ["default"] = 10, ["maximum"] = 100 },
                            ["sort"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("relevance", "date") },
                        },
                    },
                },
            });
        }

        if (f.Random.Bool(0.1f))
        {
            body["response_format"] = new JsonObject
            {
                ["type"] = "json_schema",
                ["json_schema"] = new JsonObject
                {
                    ["name"] = "summary",
                    ["description"] = "A short summary of the input.",
                    ["schema"] = new JsonObject
                    {
                        ["type"] = "object",
                        ["properties"] = new JsonObject { ["summary"] = new JsonObject { ["type"] = "string", ["description"] = "At most three sentences." } },
                    },
                },
            };
        }

        if (f.Random.Bool(0.1f))
        {
            body["stop"] = new JsonArray("\n\n###", "END");
        }

        if (f.Random.Bool(0.1f))
        {
            body["user"] = "team-" + f.Lorem.Word() + "-" + f.Random.Int(1, 99).ToString(CultureInfo.InvariantCulture);
        }

        return body;
    }
}
