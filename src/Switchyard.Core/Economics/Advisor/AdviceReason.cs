using System.Text.Json.Serialization;

namespace Switchyard.Economics;

/// <summary>One reason behind an <see cref="Advice"/>, with the figures that back it.</summary>
/// <param name="Code">What the reason is about (<see cref="ReasonCodes"/>).</param>
/// <param name="Lean">Which way it pushes (<see cref="Leans"/>).</param>
/// <param name="Text">The reason in words, with its numbers.</param>
public sealed record AdviceReason(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("lean")] string Lean,
    [property: JsonPropertyName("text")] string Text);
