namespace Switchyard.Local.Tokenization;

/// <summary>
/// What a BPE vocabulary's <c>tokenizer.ggml.pre</c> name selects in llama.cpp: the word-splitting steps and the
/// flags that go with the pre-tokenizer.
/// </summary>
/// <param name="Steps">Applied in order; each re-splits the segments of the previous one.</param>
/// <param name="IgnoreMerges">A word that is itself a token is emitted whole, without running the merges.</param>
/// <param name="CleanSpaces">Decoding removes the space before ?!., and some contractions (clean_up_tokenization_spaces).</param>
/// <param name="AddBos">The default for add_bos (the metadata may override it).</param>
/// <param name="NoDefaultBos">The vocabulary has no default BOS id (it needs the metadata key).</param>
internal sealed record BpePreTokenizerSpec(
    WordSplitter[] Steps,
    bool IgnoreMerges = false,
    bool CleanSpaces = true,
    bool AddBos = false,
    bool NoDefaultBos = false);
