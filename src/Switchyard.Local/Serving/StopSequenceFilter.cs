using System.Text;

namespace Switchyard.Local.Serving;

/// <summary>
/// Cuts streamed output at the first stop sequence. Text is fed in chunks as it is decoded; <see cref="Append"/>
/// returns what can be shown now and holds back any tail that could still grow into a stop sequence, so a stop
/// sequence split over several chunks is never shown in part.
/// </summary>
/// <remarks>
/// Each stop sequence is matched with a Knuth-Morris-Pratt automaton fed one character at a time, so the work is
/// linear in the text (times the number of stop sequences) however long the generation runs. Generation stops at the
/// first point in the stream where some stop sequence is complete; when several complete at the same character the
/// longest (the one starting earliest) is cut. Because the held-back text never contains a complete stop sequence,
/// the result does not depend on how the text is split into chunks. Not thread-safe: one instance per generation.
/// </remarks>
internal sealed class StopSequenceFilter
{
    private readonly string[] _stops;
    private readonly int[][] _failure;
    private readonly int[] _state;
    private readonly StringBuilder _pending = new();

    /// <summary>Creates a filter for the given stop sequences; null and empty strings are ignored.</summary>
    public StopSequenceFilter(IEnumerable<string>? stops)
    {
        _stops = stops is null ? [] : [.. stops.Where(s => !string.IsNullOrEmpty(s)).Distinct(StringComparer.Ordinal)];
        _failure = new int[_stops.Length][];
        for (int i = 0; i < _stops.Length; i++)
        {
            _failure[i] = BuildFailure(_stops[i]);
        }

        _state = new int[_stops.Length];
    }

    /// <summary>Whether a stop sequence has been seen; from then on all text is dropped.</summary>
    public bool Stopped { get; private set; }

    /// <summary>Feeds the next piece of output and returns the part that is safe to emit now.</summary>
    /// <returns>The text up to the point where a stop sequence might begin, or, once one is complete, the text before
    /// it (and <see cref="Stopped"/> becomes true). Empty after stopping.</returns>
    public string Append(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Stopped || text.Length == 0)
        {
            return "";
        }

        if (_stops.Length == 0)
        {
            return text;
        }

        foreach (char c in text)
        {
            _pending.Append(c);
            int matched = Advance(c);
            if (matched > 0)
            {
                string before = _pending.ToString(0, _pending.Length - matched);
                _pending.Clear();
                Stopped = true;
                return before;
            }
        }

        int hold = 0;
        foreach (int state in _state)
        {
            hold = Math.Max(hold, state);
        }

        int emit = _pending.Length - hold;

        // Keep a surrogate pair together: never end the emitted text with the high half.
        if (emit > 0 && char.IsHighSurrogate(_pending[emit - 1]))
        {
            emit--;
        }

        if (emit <= 0)
        {
            return "";
        }

        string ready = _pending.ToString(0, emit);
        _pending.Remove(0, emit);
        return ready;
    }

    /// <summary>Ends the stream: returns the held-back text (empty if a stop sequence was found).</summary>
    public string Flush()
    {
        Array.Clear(_state);
        if (Stopped)
        {
            return "";
        }

        string rest = _pending.ToString();
        _pending.Clear();
        return rest;
    }

    /// <summary>Moves every automaton over <paramref name="c"/>; returns the length of the longest stop sequence
    /// completed by it, or 0.</summary>
    private int Advance(char c)
    {
        int completed = 0;
        for (int i = 0; i < _stops.Length; i++)
        {
            string stop = _stops[i];
            int[] failure = _failure[i];
            int state = _state[i];
            while (state > 0 && stop[state] != c)
            {
                state = failure[state - 1];
            }

            if (stop[state] == c)
            {
                state++;
            }

            if (state == stop.Length)
            {
                completed = Math.Max(completed, state);
                state = failure[state - 1];
            }

            _state[i] = state;
        }

        return completed;
    }

    /// <summary>The KMP failure function: for each prefix, the length of its longest proper prefix that is also a suffix.</summary>
    private static int[] BuildFailure(string pattern)
    {
        var failure = new int[pattern.Length];
        int k = 0;
        for (int i = 1; i < pattern.Length; i++)
        {
            while (k > 0 && pattern[i] != pattern[k])
            {
                k = failure[k - 1];
            }

            if (pattern[i] == pattern[k])
            {
                k++;
            }

            failure[i] = k;
        }

        return failure;
    }
}
