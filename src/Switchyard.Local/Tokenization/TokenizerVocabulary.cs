namespace Switchyard.Local.Tokenization;

/// <summary>
/// The tokenizer's inputs as plain data, as found in GGUF metadata. Optional values are null when the metadata does
/// not have them; the llama.cpp defaults are applied by <see cref="GgufTokenizer"/>.
/// </summary>
internal sealed class TokenizerVocabulary
{
    public required TokenizerModelKind Model { get; init; }

    /// <summary><c>tokenizer.ggml.pre</c> (BPE only).</summary>
    public string? PreTokenizer { get; init; }

    /// <summary><c>general.name</c>: llama.cpp keys a few per-token fix-ups on it (Phi-3).</summary>
    public string? ModelName { get; init; }

    public required IReadOnlyList<string> Tokens { get; init; }

    /// <summary>Token scores (SentencePiece merge priority); null means all zero.</summary>
    public IReadOnlyList<float>? Scores { get; init; }

    /// <summary>GGUF token types (<see cref="GgufTokenType"/>); null means all normal.</summary>
    public IReadOnlyList<int>? TokenTypes { get; init; }

    /// <summary>BPE merges "left right", by rank.</summary>
    public IReadOnlyList<string>? Merges { get; init; }

    public int? BosId { get; init; }

    public int? EosId { get; init; }

    public int? EotId { get; init; }

    public int? EomId { get; init; }

    public int? UnknownId { get; init; }

    public int? PaddingId { get; init; }

    public int? FimPreId { get; init; }

    public int? FimSufId { get; init; }

    public int? FimMidId { get; init; }

    public int? FimPadId { get; init; }

    public int? FimRepId { get; init; }

    public int? FimSepId { get; init; }

    public bool? AddBos { get; init; }

    public bool? AddEos { get; init; }

    public bool? AddSpacePrefix { get; init; }
}
