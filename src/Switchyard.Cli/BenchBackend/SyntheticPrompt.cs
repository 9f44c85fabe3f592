using System.Text;

namespace Switchyard.Cli.BenchBackend;

/// <summary>
/// The benchmark's prompts: a fixed instruction followed by common English words, each a single token (with its leading
/// space) in the GPT, Llama and Qwen tokenizers, so a prompt of <c>n</c> words is about <c>n</c> tokens plus the
/// instruction and the chat template. Every request gets its own word sequence (seeded by a serial number), so a server's
/// prefix cache cannot serve one request's prompt from another's.
/// </summary>
internal static class SyntheticPrompt
{
    public const string Instruction = "Write a long story that uses all of these words:";

    /// <summary>Tokens assumed for the instruction and the chat template before the server has been asked.</summary>
    public const int EstimatedOverheadTokens = 20;

    private static readonly string[] Words =
    [
        "time", "year", "people", "way", "day", "man", "thing", "woman", "life", "child", "world", "school", "state", "family",
        "student", "group", "country", "problem", "hand", "part", "place", "case", "week", "company", "system", "program",
        "question", "work", "number", "night", "point", "home", "water", "room", "mother", "area", "money", "story", "fact",
        "month", "lot", "right", "study", "book", "eye", "job", "word", "business", "issue", "side", "kind", "head", "house",
        "service", "friend", "father", "power", "hour", "game", "line", "end", "member", "law", "car", "city", "name",
        "team", "minute", "idea", "kid", "body", "back", "parent", "face", "others", "level", "office", "door", "health",
        "person", "art", "war", "history", "party", "result", "change", "morning", "reason", "research", "girl", "guy",
        "moment", "air", "teacher", "force", "education", "foot", "boy", "age", "policy", "music", "market", "sense",
        "nation", "plan", "college", "interest", "death", "experience", "effect", "class", "control", "care", "field",
        "development", "role", "effort", "rate", "heart", "drug", "show", "leader", "light", "voice", "wife", "police",
        "mind", "price", "report", "decision", "son", "view", "relationship", "town", "road", "arm", "difference", "value",
        "building", "action", "model", "season", "society", "tax", "director", "position", "player", "record", "paper",
        "space", "ground", "form", "event", "official", "matter", "center", "couple", "site", "project", "activity", "star",
        "table", "need", "court", "oil", "situation", "cost", "industry", "figure", "street", "image", "phone", "data",
        "picture", "practice", "piece", "land", "product", "doctor", "wall", "patient", "worker", "news", "test", "movie",
        "north", "love", "support", "technology", "step", "baby", "computer", "type", "attention", "film", "tree", "source",
        "organization", "hair", "window", "evidence", "population", "ocean", "truth", "bank", "river", "stone", "garden",
        "summer", "winter", "forest", "green", "small", "large", "old", "new", "good", "great", "long", "little", "young",
        "important", "public", "bad", "same", "able", "late", "hard", "major", "better", "economic", "strong", "possible",
        "whole", "free", "military", "true", "federal", "international", "full", "special", "easy", "clear", "recent",
        "certain", "personal", "open", "red", "difficult", "available", "likely", "short", "single", "medical", "current",
        "wrong", "private", "past", "foreign", "fine", "common", "poor", "natural", "significant", "similar", "hot", "dead",
        "central", "happy", "serious", "ready", "simple", "left", "physical", "general", "environmental", "financial", "blue",
    ];

    /// <summary>Words for <paramref name="inputTokens"/> prompt tokens before calibration: one token a word, less the estimated overhead.</summary>
    public static int EstimateWords(int inputTokens) => Math.Max(1, inputTokens - EstimatedOverheadTokens);

    /// <summary>The instruction and <paramref name="words"/> words chosen by a generator seeded with <paramref name="serial"/>.</summary>
    public static string Build(int words, long serial)
    {
        var text = new StringBuilder(Instruction.Length + (words * 8));
        text.Append(Instruction);
        var state = (ulong)serial * 0x9E3779B97F4A7C15UL;
        for (var i = 0; i < words; i++)
        {
            text.Append(' ').Append(Words[(int)(Next(ref state) % (ulong)Words.Length)]);
        }

        return text.ToString();
    }

    /// <summary>SplitMix64: a small, fast, well-mixed deterministic generator (not for security).</summary>
    private static ulong Next(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        var z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
