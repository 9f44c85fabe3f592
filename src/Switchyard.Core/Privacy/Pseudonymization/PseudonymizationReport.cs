using System.Collections.Frozen;
using Microsoft.Extensions.AI;

namespace Switchyard.Privacy.Pseudonymization;

/// <summary>
/// What <see cref="PseudonymizingChatClient"/> replaced in one request, per data class, for the audit record. Holds
/// counts only, never a value or a placeholder's meaning.
/// </summary>
/// <remarks>
/// It is stored under <see cref="AdditionalPropertiesKey"/> in <see cref="ChatResponse.AdditionalProperties"/> of a
/// plain response, and in <see cref="ChatResponseUpdate.AdditionalProperties"/> of the last update of a streamed
/// one. That update has no message id, so <c>ToChatResponseAsync</c> puts the report in the response's additional
/// properties too. It is absent when nothing was replaced.
/// </remarks>
public sealed class PseudonymizationReport
{
    /// <summary>The key under which the report is stored in a response's or update's additional properties.</summary>
    public const string AdditionalPropertiesKey = "switchyard.pseudonymization";

    /// <summary>Creates a report (a copy of the given counts is kept).</summary>
    /// <param name="occurrences">Per data class, how many occurrences were replaced.</param>
    /// <param name="distinctValues">Per data class, how many distinct values (that is, placeholders) there were.</param>
    public PseudonymizationReport(IReadOnlyDictionary<string, int> occurrences, IReadOnlyDictionary<string, int> distinctValues)
    {
        ArgumentNullException.ThrowIfNull(occurrences);
        ArgumentNullException.ThrowIfNull(distinctValues);
        Occurrences = occurrences.ToFrozenDictionary(StringComparer.Ordinal);
        DistinctValues = distinctValues.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>Per data class, how many occurrences were replaced (a value sent three times counts three).</summary>
    public IReadOnlyDictionary<string, int> Occurrences { get; }

    /// <summary>Per data class, how many distinct values were replaced (one placeholder each).</summary>
    public IReadOnlyDictionary<string, int> DistinctValues { get; }

    /// <summary>Occurrences replaced, over all classes.</summary>
    public int TotalOccurrences => Occurrences.Values.Sum();

    /// <summary>The report stored in <paramref name="response"/>, or null when nothing was replaced.</summary>
    public static PseudonymizationReport? From(ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return From(response.AdditionalProperties);
    }

    /// <summary>The report stored in <paramref name="update"/> (the last update of a stream), or null.</summary>
    public static PseudonymizationReport? From(ChatResponseUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        return From(update.AdditionalProperties);
    }

    private static PseudonymizationReport? From(AdditionalPropertiesDictionary? properties) =>
        properties is not null && properties.TryGetValue(AdditionalPropertiesKey, out object? value) ? value as PseudonymizationReport : null;
}
