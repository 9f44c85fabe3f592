namespace Switchyard.Local.Tokenization;

/// <summary>The tokenizer algorithm (<c>tokenizer.ggml.model</c>).</summary>
internal enum TokenizerModelKind
{
    /// <summary>"llama": SentencePiece-style merging by token score, with byte fallback.</summary>
    SentencePiece,

    /// <summary>"gpt2": byte-level BPE with ranked merges after a regex pre-tokenizer.</summary>
    BytePairEncoding,
}
