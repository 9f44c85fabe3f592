using Switchyard.Local.Gguf;

namespace Switchyard.Local.Tokenization;

/// <summary>Reads the <c>tokenizer.ggml.*</c> metadata of a GGUF file into a <see cref="TokenizerVocabulary"/>.</summary>
internal static class GgufVocabularyReader
{
    private const string Prefix = "tokenizer.ggml.";

    public static TokenizerVocabulary Read(GgufMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        string model = metadata.GetString(Prefix + "model");
        TokenizerModelKind kind = model switch
        {
            "llama" => TokenizerModelKind.SentencePiece,
            "gpt2" => TokenizerModelKind.BytePairEncoding,
            _ => throw new NotSupportedException($"{metadata.Source}: tokenizer model '{model}' is not supported (only 'llama' and 'gpt2')."),
        };

        string[] tokens = metadata.GetStringArray(Prefix + "tokens");
        IReadOnlyList<float>? scores = ReadScores(metadata, tokens.Length);
        int[]? types = metadata.Contains(Prefix + "token_type") ? metadata.GetInt32Array(Prefix + "token_type") : null;
        if (types is not null && types.Length < tokens.Length)
        {
            throw new GgufFormatException($"{metadata.Source}: {Prefix}token_type has {types.Length} entries for {tokens.Length} tokens.");
        }

        if (Array.Exists(tokens, t => t.Length == 0))
        {
            // As llama.cpp: an empty token gets a placeholder text (on a copy; the metadata stays as read).
            tokens = [.. tokens];
            for (int i = 0; i < tokens.Length; i++)
            {
                if (tokens[i].Length == 0)
                {
                    tokens[i] = $"[EMPTY_{i}]";
                }
            }
        }

        return new TokenizerVocabulary
        {
            Model = kind,
            PreTokenizer = metadata.TryGetString(Prefix + "pre", out string? pre) ? pre : null,
            ModelName = metadata.TryGetString("general.name", out string? name) ? name : null,
            Tokens = tokens,
            Scores = scores,
            TokenTypes = types,
            Merges = kind == TokenizerModelKind.BytePairEncoding ? metadata.GetStringArray(Prefix + "merges") : null,
            BosId = Id(metadata, "bos_token_id"),
            EosId = Id(metadata, "eos_token_id"),
            EotId = Id(metadata, "eot_token_id"),
            EomId = Id(metadata, "eom_token_id"),
            UnknownId = Id(metadata, "unknown_token_id"),
            PaddingId = Id(metadata, "padding_token_id"),
            FimPreId = Id(metadata, "prefix_token_id") ?? Id(metadata, "fim_pre_token_id"),
            FimSufId = Id(metadata, "suffix_token_id") ?? Id(metadata, "fim_suf_token_id"),
            FimMidId = Id(metadata, "middle_token_id") ?? Id(metadata, "fim_mid_token_id"),
            FimPadId = Id(metadata, "fim_pad_token_id"),
            FimRepId = Id(metadata, "fim_rep_token_id"),
            FimSepId = Id(metadata, "fim_sep_token_id"),
            AddBos = Flag(metadata, "add_bos_token"),
            AddEos = Flag(metadata, "add_eos_token"),
            AddSpacePrefix = Flag(metadata, "add_space_prefix"),
        };
    }

    private static int? Id(GgufMetadata metadata, string key) =>
        metadata.TryGetUInt32(Prefix + key, out uint id) && id <= int.MaxValue ? (int)id : null;

    private static bool? Flag(GgufMetadata metadata, string key) =>
        metadata.TryGetBool(Prefix + key, out bool value) ? value : null;

    private static float[]? ReadScores(GgufMetadata metadata, int count)
    {
        string key = Prefix + "scores";
        if (!metadata.TryGetValue(key, out GgufValue? value))
        {
            return null;
        }

        float[] scores = value.Value switch
        {
            float[] f => f,
            int[] i => Array.ConvertAll(i, x => (float)x),
            _ => throw new GgufFormatException($"{metadata.Source}: metadata key '{key}' should be an array of float32 or int32."),
        };

        return scores.Length >= count
            ? scores
            : throw new GgufFormatException($"{metadata.Source}: {key} has {scores.Length} entries for {count} tokens.");
    }
}
