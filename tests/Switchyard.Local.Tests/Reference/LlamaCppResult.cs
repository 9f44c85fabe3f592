namespace Switchyard.Local.Tests.Reference;

/// <summary>
/// What real llama.cpp produced for one greedy run (see tests/js/llama-reference.mjs).
/// </summary>
/// <param name="PromptTokens">The tokens evaluated as the prompt, BOS included when asked for.</param>
/// <param name="Tokens">The greedily generated tokens; an end-of-generation token ends the list and is kept.</param>
/// <param name="Text">The generated tokens as text (special tokens left out), continuing the prompt's text.</param>
/// <param name="Logits">
/// For the first K generated positions, the full raw logit vector (vocabulary-sized, before softmax) from which
/// <see cref="Tokens"/>[i] was picked; <c>Logits[0]</c> is the vector after the whole prompt.
/// </param>
internal sealed record LlamaCppResult(int[] PromptTokens, int[] Tokens, string Text, float[][] Logits);
