namespace Switchyard.Local.Tokenization;

/// <summary>
/// Applies llama.cpp's vocabulary loading rules (llama-vocab.cpp): per-model defaults for the special ids and flags,
/// metadata overrides, detection of end-of-turn / fill-in-the-middle tokens by their text (these become control
/// tokens), the end-of-generation set, and the per-model token attribute fix-ups.
/// </summary>
internal static class TokenizerSetup
{
    private static readonly string[] EotTexts =
    [
        "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|end_of_text|>", "<EOT>", "_<EOT>",
        "[EOT]", "<\uFF5Cend\u2581of\u2581sentence\uFF5C>", "<end_of_utterance>",
    ];

    private static readonly string[] FimPreTexts = ["<|fim_prefix|>", "<fim-prefix>", "<fim_prefix>", "<\uFF5Cfim\u2581begin\uFF5C>", "<PRE>", "\u2581<PRE>", "<|code_prefix|>", "<|prefix|>"];
    private static readonly string[] FimSufTexts = ["<|fim_suffix|>", "<fim-suffix>", "<fim_suffix>", "<\uFF5Cfim\u2581hole\uFF5C>", "<SUF>", "\u2581<SUF>", "<|code_suffix|>", "<|suffix|>"];
    private static readonly string[] FimMidTexts = ["<|fim_middle|>", "<fim-middle>", "<fim_middle>", "<\uFF5Cfim\u2581end\uFF5C>", "<MID>", "\u2581<MID>", "<|code_middle|>", "<|middle|>"];
    private static readonly string[] FimPadTexts = ["<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>", "[PAD]"];
    private static readonly string[] FimRepTexts = ["<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>", "<reponame>"];

    private static readonly string[] EogTexts =
    [
        "<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>", "<|flush|>", "<|calls|>", "<end_of_turn>",
        "<|endoftext|>", "</s>", "<|eom_id|>", "<EOT>", "_<EOT>", "[EOT]", "[EOS]", "<|end_of_text|>", "<end_of_utterance>",
        "<eos>", "<turn|>", "<|tool_response>", "<\uFF5Cend\u2581of\u2581sentence\uFF5C>", "[e~[",
    ];

    private static readonly string[] AlwaysRenderedTexts = ["<|channel|>", "<|message|>", "<|start|>", "<|constrain|>"];

    public static TokenizerSettings Resolve(TokenizerVocabulary vocab, StringIdMap tokenIds)
    {
        int n = vocab.Tokens.Count;
        var attrs = new TokenAttributes[n];
        for (int id = 0; id < n; id++)
        {
            attrs[id] = vocab.TokenTypes is { } types ? GgufTokenType.ToAttributes(types[id]) : TokenAttributes.Normal;
        }

        bool spm = vocab.Model == TokenizerModelKind.SentencePiece;
        BpePreTokenizerSpec? pre = spm ? null : BpePreTokenizers.Resolve(vocab.PreTokenizer);

        int? bos = spm ? 1 : (pre!.NoDefaultBos ? null : 11);
        int? eos = spm ? 2 : 11;
        int? unk = spm ? 0 : null;
        bool addBos = spm || pre!.AddBos;
        bool addSpacePrefix = vocab.AddSpacePrefix ?? spm;

        bos = Override(bos, vocab.BosId, n);
        eos = Override(eos, vocab.EosId, n);
        unk = Override(unk, vocab.UnknownId, n);
        int? eot = Override(null, vocab.EotId, n);
        int? eom = Override(null, vocab.EomId, n);
        int? pad = Override(null, vocab.PaddingId, n);
        int? fimPad = Override(null, vocab.FimPadId, n);
        int? fimRep = Override(null, vocab.FimRepId, n);
        int? fimSep = Override(null, vocab.FimSepId, n);
        addBos = vocab.AddBos ?? addBos;
        bool addEos = vocab.AddEos ?? false;
        if (addBos && bos is null)
        {
            throw new InvalidOperationException("tokenizer.ggml.add_bos_token is true, but tokenizer.ggml.bos_token_id is not set.");
        }

        if (addEos && eos is null)
        {
            throw new InvalidOperationException("tokenizer.ggml.add_eos_token is true, but tokenizer.ggml.eos_token_id is not set.");
        }

        // Tokens found by their text become control tokens (when not set by the metadata).
        eot ??= Detect(EotTexts, tokenIds, attrs);
        eom ??= Detect(["<|eom_id|>"], tokenIds, attrs);
        _ = Override(null, vocab.FimPreId, n) ?? Detect(FimPreTexts, tokenIds, attrs);
        _ = Override(null, vocab.FimSufId, n) ?? Detect(FimSufTexts, tokenIds, attrs);
        _ = Override(null, vocab.FimMidId, n) ?? Detect(FimMidTexts, tokenIds, attrs);
        fimPad ??= Detect(FimPadTexts, tokenIds, attrs);
        fimRep ??= Detect(FimRepTexts, tokenIds, attrs);
        fimSep ??= Detect(["<|file_sep|>"], tokenIds, attrs);

        var eog = new HashSet<int>();
        foreach (int? id in (int?[])[fimPad, fimRep, fimSep])
        {
            if (id is int v)
            {
                eog.Add(v);
            }
        }

        foreach (string text in EogTexts)
        {
            int id = tokenIds.Find(text);
            if (id >= 0)
            {
                eog.Add(id);
                attrs[id] |= TokenAttributes.Control;
            }
        }

        foreach (string text in AlwaysRenderedTexts)
        {
            int id = tokenIds.Find(text);
            if (id >= 0)
            {
                attrs[id] = TokenAttributes.UserDefined;
            }
        }

        foreach (int? id in (int?[])[eos, eot, eom])
        {
            if (id is int v)
            {
                eog.Add(v);
            }
        }

        ApplyEogWorkarounds(eog, tokenIds, attrs);
        ApplyModelAttributes(vocab, tokenIds, attrs);

        return new TokenizerSettings
        {
            Attributes = attrs,
            BosId = bos,
            EosId = eos,
            EotId = eot,
            UnknownId = unk,
            PaddingId = pad,
            EndOfGeneration = eog,
            AddBos = addBos,
            AddEos = addEos,
            AddSpacePrefix = addSpacePrefix,
            CleanSpaces = !spm && pre!.CleanSpaces,
            PreTokenizer = pre,
        };
    }

    /// <summary>A default id out of range is dropped; a metadata id in range replaces it (an out-of-range one is ignored).</summary>
    private static int? Override(int? fallback, int? fromMetadata, int count)
    {
        if (fallback is int f && (f < 0 || f >= count))
        {
            fallback = null;
        }

        return fromMetadata is int m && m >= 0 && m < count ? m : fallback;
    }

    /// <summary>
    /// The first text of the list that is a token (llama.cpp takes whichever it meets first in a hash map; the list
    /// order is the deterministic stand-in); that token is made a control token.
    /// </summary>
    private static int? Detect(string[] texts, StringIdMap tokenIds, TokenAttributes[] attrs)
    {
        foreach (string text in texts)
        {
            int id = tokenIds.Find(text);
            if (id >= 0)
            {
                attrs[id] |= TokenAttributes.Control;
                return id;
            }
        }

        return null;
    }

    private static void ApplyEogWorkarounds(HashSet<int> eog, StringIdMap tokenIds, TokenAttributes[] attrs)
    {
        // gpt-oss / solar-open: <|end|> ends a message, not the generation, when <|return|>/<|call|> or <|calls|>/<|flush|> exist.
        bool InEog(string text) => tokenIds.Find(text) is int id && id >= 0 && eog.Contains(id);
        int end = tokenIds.Find("<|end|>");
        if (end >= 0 && eog.Contains(end)
            && ((InEog("<|return|>") && (InEog("<|call|>") || InEog("<|calls|>"))) || ((InEog("<|call|>") || InEog("<|calls|>")) && InEog("<|flush|>"))))
        {
            eog.Remove(end);
            attrs[end] = TokenAttributes.UserDefined;
        }

        // gemma4 / paddleocr: </s> is not an end of generation when <|tool_response> is one.
        int s = tokenIds.Find("</s>");
        if (s >= 0 && eog.Contains(s) && InEog("<|tool_response>"))
        {
            eog.Remove(s);
            attrs[s] = TokenAttributes.Normal;
        }
    }

    private static void ApplyModelAttributes(TokenizerVocabulary vocab, StringIdMap tokenIds, TokenAttributes[] attrs)
    {
        void Set(string text, TokenAttributes attr, bool on)
        {
            int id = tokenIds.Find(text);
            if (id >= 0)
            {
                attrs[id] = on ? attrs[id] | attr : attrs[id] & ~attr;
            }
        }

        string pre = vocab.PreTokenizer ?? string.Empty;
        string name = (vocab.ModelName ?? string.Empty).ToLowerInvariant();
        if (pre is "jina-v2-de" or "jina-v2-es" or "jina-v2-code")
        {
            Set("<mask>", TokenAttributes.LStrip, true);
        }
        else if (name.Contains("phi-3", StringComparison.Ordinal) || name.Contains("phi3", StringComparison.Ordinal))
        {
            const TokenAttributes special = TokenAttributes.Control | TokenAttributes.UserDefined | TokenAttributes.Unknown;
            for (int id = 0; id < attrs.Length; id++)
            {
                if ((attrs[id] & special) != 0)
                {
                    attrs[id] |= TokenAttributes.RStrip;
                }
            }

            Set("</s>", TokenAttributes.RStrip, true);
            foreach (string text in (string[])["<unk>", "<s>", "<|endoftext|>"])
            {
                Set(text, TokenAttributes.RStrip, false);
            }
        }
        else if (name.Contains("modern-bert", StringComparison.Ordinal))
        {
            Set("[MASK]", TokenAttributes.LStrip, true);
        }
    }
}
