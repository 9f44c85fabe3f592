namespace Switchyard.Local.Tokenization;

/// <summary>
/// One step of a BPE pre-tokenizer: re-splits each segment of the text (segments are given as lengths in code points,
/// covering the text in order) into smaller segments. Every code point stays in exactly one segment.
/// </summary>
internal abstract class WordSplitter
{
    public abstract void Split(CodepointText text, List<int> segments, List<int> output);
}
