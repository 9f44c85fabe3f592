namespace Switchyard.Local.Tokenization;

/// <summary>A vocabulary's special ids and flags after llama.cpp's load-time defaults and fix-ups.</summary>
internal sealed class TokenizerSettings
{
    public required TokenAttributes[] Attributes { get; init; }

    public int? BosId { get; init; }

    public int? EosId { get; init; }

    public int? EotId { get; init; }

    public int? UnknownId { get; init; }

    public int? PaddingId { get; init; }

    public required IReadOnlySet<int> EndOfGeneration { get; init; }

    public bool AddBos { get; init; }

    public bool AddEos { get; init; }

    public bool AddSpacePrefix { get; init; }

    public bool CleanSpaces { get; init; }

    /// <summary>For BPE vocabularies, what <c>tokenizer.ggml.pre</c> selected; null for SentencePiece.</summary>
    public BpePreTokenizerSpec? PreTokenizer { get; init; }
}
