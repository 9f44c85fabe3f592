namespace Switchyard.Local.Tokenization;

/// <summary>The BPE pre-tokenizers llama.cpp selects by <c>tokenizer.ggml.pre</c>, for the names supported here.</summary>
internal static class BpePreTokenizers
{
    private const string Contractions = @"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])";

    private const string Qwen2 = Contractions + @"|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    private const string Qwen35 = Contractions
        + @"|[^\r\n\p{L}\p{N}]?[\p{L}\p{M}]+|\p{N}| ?[^\s\p{L}\p{M}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    private const string Gpt4o =
        @"[^\r\n\p{L}\p{N}]?((?=[\p{L}])([^a-z]))*((?=[\p{L}])([^A-Z]))+" + Contractions + "?"
        + @"|[^\r\n\p{L}\p{N}]?((?=[\p{L}])([^a-z]))+((?=[\p{L}])([^A-Z]))*" + Contractions + "?"
        + @"|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    private const string Tekken =
        @"[^\r\n\p{L}\p{N}]?((?=[\p{L}])([^a-z]))*((?=[\p{L}])([^A-Z]))+"
        + @"|[^\r\n\p{L}\p{N}]?((?=[\p{L}])([^a-z]))+((?=[\p{L}])([^A-Z]))*"
        + @"|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    private const string DeepSeek3Main =
        @"[!""#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~][A-Za-z]+|[^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+| ?[\p{P}\p{S}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    private const string Bloom = " ?[^(\\s|.,!?\u2026\u3002\uFF0C\u3001\u0964\u06D4\u060C)]+";

    /// <summary>The spec for a pre-tokenizer name (null or empty means llama.cpp's "default").</summary>
    /// <exception cref="NotSupportedException">The name is one llama.cpp knows but this port does not, or is unknown.</exception>
    public static BpePreTokenizerSpec Resolve(string? pre)
    {
        WordSplitter gpt2 = Gpt2WordSplitter.Instance;
        WordSplitter llama3 = Llama3WordSplitter.Instance;
        switch (pre ?? string.Empty)
        {
            case "" or "default":
                return new([Rx(@"[\p{P}\$\+<=>\^~\|]+"), gpt2, Rx(@"\p{N}+"), Rx("[0-9][0-9][0-9]")]);
            case "llama3" or "llama-v3" or "llama-bpe" or "falcon3" or "falcon-h1" or "pixtral" or "midm-2.0" or "lfm2" or "jina-v5-nano":
                return new([llama3], IgnoreMerges: true, AddBos: true);
            case "dbrx" or "smaug-bpe":
                return new([llama3]);
            case "glm4" or "chatglm-bpe":
                return new([llama3], NoDefaultBos: true);
            case "gpt-2" or "phi-2" or "jina-es" or "jina-de" or "gigachat" or "jina-v2-es" or "jina-v2-de" or "a.x-4.0" or "mellum"
                or "modern-bert" or "exaone4" or "jina-v1-en" or "jina-v2-code" or "roberta-bpe" or "mpt" or "olmo" or "jais":
                return new([gpt2]);
            case "trillion" or "granite-docling":
                return new([gpt2], CleanSpaces: false);
            case "qwen2" or "deepseek-r1-qwen" or "kormo" or "f2llmv2" or "hunyuan" or "solar-open" or "grok-2":
                return new([Rx(Qwen2)], CleanSpaces: false);
            case "megrez" or "stablelm2":
                return new([Rx(Qwen2)]);
            case "qwen35":
                return new([Rx(Qwen35)], CleanSpaces: false);
            case "ufakzeka":
                return new([Rx(Qwen2[(Contractions.Length + 1)..])], CleanSpaces: false);
            case "laguna":
                return new([Rx(@"[^\n]+|[\n]+"), Rx(Qwen2)], CleanSpaces: false);
            case "deepseek-coder":
                return new(
                    [Rx(@"[\r\n]"), Rx(@"\s?\p{L}+"), Rx(@"\s?\p{P}+"), Rx(@"[\u4E00-\u9FA5\u0800-\u4E00\uAC00-\uD7FF]+"), Rx(@"\p{N}")],
                    CleanSpaces: false);
            case "deepseek-v3" or "hunyuan-dense" or "joyai-llm" or "hy_v4":
                return new([Rx(@"\p{N}{1,3}"), Rx(@"[\u4E00-\u9FA5\u3040-\u309F\u30A0-\u30FF]+"), Rx(DeepSeek3Main)], CleanSpaces: false);
            case "starcoder" or "refact" or "codeshell" or "exaone" or "minerva-7b" or "mellum2":
                return new([Rx(@"\p{N}"), gpt2]);
            case "command-r" or "smollm":
                return new([Rx(@"\p{N}"), gpt2], CleanSpaces: false);
            case "falcon":
                return new([Rx(@"[\p{P}\$\+<=>\^~\|`]+"), gpt2, Rx("[0-9][0-9][0-9]")]);
            case "tekken":
                return new([Rx(Tekken)], IgnoreMerges: true, CleanSpaces: false, AddBos: true);
            case "gpt-4o" or "llama4" or "kanana2" or "talkie" or "minimax-m2":
                return new([Rx(Gpt4o)], CleanSpaces: false);
            case "bailingmoe" or "bailingmoe2" or "llada-moe":
                return new(
                    [Rx(@"'(?:[sSdDmMtT]|[lL][lL]|[vV][eE]|[rR][eE])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]|\s+(?!\S)|\s+")],
                    CleanSpaces: false);
            case "seed-coder":
                return new(
                    [Rx(Contractions + @"|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1}| ?[^\s\p{L}\p{N}\r\n]+|\s*[\r\n]+|\s+(?!\S)|\s+")],
                    CleanSpaces: false);
            case "minicpm5":
                return new(
                    [Rx(@"\p{N}{1,3}"), Rx(Contractions + @"|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}+| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+")],
                    IgnoreMerges: true);
            case "exaone-moe":
                return new(
                    [Rx(Contractions + @"|[^\r\n\p{L}\p{N}]?(?:\p{L}\p{M}*(?: \p{L}\p{M}*)*)+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n/]?|\s*[\r\n]|\s+(?!\S)|\s+")]);
            case "bloom" or "gpt3-finnish":
                return new([Rx(Bloom)]);
            case "poro-chat":
                return new([Rx(Bloom)], CleanSpaces: false);
            case "viking":
                return new([Rx(Bloom), Rx(@"\p{N}")], CleanSpaces: false);
            default:
                throw new NotSupportedException($"BPE pre-tokenizer '{pre}' is not supported.");
        }
    }

    private static RegexWordSplitter Rx(string pattern) => new(pattern);
}
