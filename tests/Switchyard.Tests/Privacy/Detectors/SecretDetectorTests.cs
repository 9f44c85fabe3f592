using Switchyard.Privacy.Detectors;

namespace Switchyard.Tests.Privacy.Detectors;

public sealed class SecretDetectorTests
{
    private const string Jwt =
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

    private const string Pem =
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF0qQ4mYz8q3mJd3n2m1xQ5Yy3b1f\nk3Y6v8TqXn5Bz3cA7Q==\n-----END RSA PRIVATE KEY-----";

    private readonly SecretDetector _detector = new();

    public static TheoryData<string> KnownFormats() =>
    [
        "sk-proj-" + Repeat("Ab3dEf6hIj9k", 4), // OpenAI
        "sk-ant-api03-" + Repeat("Xy7_Zq2-Lm4P", 8) + "AA", // Anthropic
        "sk_live_4eC39HqLyjWDarjtT1zdp7dc", // Stripe
        "AKIAIOSFODNN7EXAMPLE", // AWS access key id
        "ghp_" + Repeat("aB3", 12), // GitHub
        "github_pat_11" + Repeat("AbC9_", 16),
        "xoxb-1234567890-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", // Slack
        "AIza" + Repeat("Sy9_x", 7), // Google API key
        "glpat-" + Repeat("Ab1-x", 4), // GitLab
        "npm_" + Repeat("aB3", 12),
        "hf_" + Repeat("aBcD3", 7),
        "SG." + Repeat("aB3_x", 5) + "." + Repeat("Zy9-q", 9), // SendGrid
        Jwt,
        Pem,
    ];

    [Theory]
    [MemberData(nameof(KnownFormats))]
    public void FindsKnownFormats(string secret)
    {
        foreach (string text in new[] { secret, $"key: {secret}", $"use {secret} to sign in.", $"OPENAI_API_KEY={secret}", $"\"{secret}\"" })
        {
            Assert.Equal(secret, Found.Single(_detector, text));
        }

        Assert.Equal(SecretDetector.KnownFormatConfidence, Found.Findings(_detector, secret)[0].Confidence);
    }

    [Fact]
    public void TruncatedPrivateKeyIsReportedToTheEndOfItsBody()
    {
        string truncated = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7";
        Assert.Equal(truncated, Found.Single(_detector, truncated + "\n\nand then the question"));
        Assert.Equal(truncated, Found.Single(_detector, truncated + "\nwhy does it fail?"));

        string encrypted = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,5E5C0B1E\n\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC";
        Assert.Equal(encrypted, Found.Single(_detector, encrypted + "\n...cut here"));
    }

    [Theory]
    [InlineData("password: hunter2!", "hunter2!")]
    [InlineData("DB_PASSWORD=s3cr3tP4ss", "s3cr3tP4ss")]
    [InlineData("{\"client_secret\": \"q8Xz-2vLp_77\"}", "q8Xz-2vLp_77")]
    [InlineData("my password is Summer2024!", "Summer2024!")]
    [InlineData("Passwort: Geheim123", "Geheim123")]
    [InlineData("X-Api-Key: 5f2b8c1e9d4a4e6b8a7c2f1e0d9c8b7a", "5f2b8c1e9d4a4e6b8a7c2f1e0d9c8b7a")]
    [InlineData("https://example.com/?user=bob&api_key=ab12cd34ef56&x=1", "ab12cd34ef56")]
    [InlineData("Authorization: Bearer abcdef0123456789ABCDEF", "abcdef0123456789ABCDEF")]
    [InlineData("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")]
    [InlineData("mot de passe : Chat-noir-42", "Chat-noir-42")]
    public void FindsValuesAssignedToCredentialNames(string text, string value)
    {
        Assert.Equal(value, Found.Single(_detector, text));
    }

    [Theory]
    [InlineData("kJ8sQ2mZ7xV4nB1cR9tY6wE3")]
    [InlineData("Zx9Qm2Lr7Vt4Nw8Kp3Hs6Jd1Fg5Bc0")]
    [InlineData("q7W/e9R+t2Y8u4I1o6P3a5S0d7F9g2H4")]
    public void FindsRandomLookingTokens(string token)
    {
        Assert.Equal(token, Found.Single(_detector, $"the CI log printed {token} at step 3"));
        Assert.Equal(SecretDetector.HighEntropyConfidence, Found.Findings(_detector, token)[0].Confidence);
    }

    [Theory]
    [InlineData("a risk-free, task-based desk-top approach")]
    [InlineData("scikit uses sk-learn")]
    [InlineData("AKIAB is not a key, nor is AKIA1234")]
    [InlineData("ghp_short")]
    [InlineData("request 3f2b8c1e-9d4a-4e6b-8a7c-2f1e0d9c8b7a failed")] // UUID
    [InlineData("commit 5c08fc5a646503392e6ba1fe183fb4e9ab48cf81")] // commit id
    [InlineData("sha256:3db9325fdffb4ef18369b3c1a5c6c1bd5d3b2f0c6e8f7a9b0c1d2e3f4a5b6c7d")]
    [InlineData("tokenizer: bert-base-uncased")]
    [InlineData("max_tokens: 4096")]
    [InlineData("password: ********")]
    [InlineData("token = getToken();")]
    [InlineData("export API_KEY=${API_KEY}")]
    [InlineData("the token is valid")]
    [InlineData("secret_santa: Yes")]
    [InlineData("the bearer of this letter keeps the secret")]
    [InlineData("Utf8JsonWriterOptions and ConfigureServices2024Async and HttpClientHandlerFactory2")]
    [InlineData("Donaudampfschifffahrtsgesellschaftskapitän")]
    [InlineData("src/Switchyard.Core/Privacy/Detectors/SecretDetector.cs")]
    [InlineData("https://example.com/api/v2/users/12345/orders?page=2")]
    [InlineData("eyJub3QiOiJhIHRva2VuIn0.eyJzdWIiOiIxIn0.abc")] // header without "alg"
    [InlineData("-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----")]
    [InlineData("-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBa\n-----END CERTIFICATE-----")]
    [InlineData("MAX_RETRY_COUNT_2048_BYTES_LIMIT")]
    public void IgnoresLookAlikes(string text)
    {
        Assert.Empty(Found.Values(_detector, text));
    }

    [Fact]
    public void KnownFormatWinsOverTheSameValueByName()
    {
        string key = "sk-proj-" + Repeat("Ab3dEf6hIj9k", 4);
        Assert.Equal(SecretDetector.KnownFormatConfidence, Assert.Single(Found.Findings(_detector, $"api_key={key}")).Confidence);
    }

    private static string Repeat(string s, int times) => string.Concat(Enumerable.Repeat(s, times));
}
