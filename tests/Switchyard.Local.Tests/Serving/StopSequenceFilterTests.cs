using System.Text;
using Switchyard.Local.Serving;

namespace Switchyard.Local.Tests.Serving;

/// <summary>Cutting streamed output at stop sequences without ever showing part of one.</summary>
public sealed class StopSequenceFilterTests
{
    [Fact]
    public void Stop_inside_one_chunk_cuts_before_it()
    {
        var filter = new StopSequenceFilter(["</end>"]);

        Assert.Equal("Hello ", filter.Append("Hello </end> world"));
        Assert.True(filter.Stopped);
        Assert.Equal("", filter.Append("more"));
        Assert.Equal("", filter.Flush());
    }

    [Fact]
    public void Stop_spread_over_chunks_char_by_char_is_never_shown()
    {
        var filter = new StopSequenceFilter(["STOP"]);
        var shown = new StringBuilder();
        foreach (char c in "abc STOP def")
        {
            shown.Append(filter.Append(c.ToString()));
            Assert.DoesNotContain("S", shown.ToString(), StringComparison.Ordinal);
        }

        Assert.True(filter.Stopped);
        Assert.Equal("abc ", shown.ToString());
        Assert.Equal("", filter.Flush());
    }

    [Fact]
    public void Possible_start_of_a_stop_is_held_back_and_released_when_it_does_not_match()
    {
        var filter = new StopSequenceFilter(["<|im_end|>"]);

        Assert.Equal("Answer: ", filter.Append("Answer: <|im"));
        Assert.Equal("<|im_start|>", filter.Append("_start|>"));
        Assert.False(filter.Stopped);
    }

    [Fact]
    public void Earliest_stop_wins()
    {
        var filter = new StopSequenceFilter(["world", "lo"]);

        Assert.Equal("hel", filter.Append("hello world"));
        Assert.True(filter.Stopped);
    }

    [Fact]
    public void Earliest_stop_wins_when_it_completes_in_a_later_chunk()
    {
        var filter = new StopSequenceFilter(["xyz", "b"]);

        Assert.Equal("a", filter.Append("ax"));
        Assert.Equal("", filter.Append("yz b"));
        Assert.True(filter.Stopped);
    }

    [Fact]
    public void Stops_completing_at_the_same_character_cut_at_the_longer_one()
    {
        var filter = new StopSequenceFilter(["c", "abc"]);

        Assert.Equal("x", filter.Append("xabcd"));
    }

    [Fact]
    public void Result_does_not_depend_on_chunking()
    {
        string[] stops = ["abcd", "bc", "\n\n"];
        string text = "one\ntwo abx abcd\n\nrest";

        string whole = Run(new StopSequenceFilter(stops), [text]);
        string byChar = Run(new StopSequenceFilter(stops), text.Select(c => c.ToString()));
        string byThree = Run(new StopSequenceFilter(stops), text.Chunk(3).Select(c => new string(c)));

        Assert.Equal("one\ntwo abx a", whole);
        Assert.Equal(whole, byChar);
        Assert.Equal(whole, byThree);
    }

    [Fact]
    public void Partial_prefix_at_the_end_is_released_by_flush()
    {
        var filter = new StopSequenceFilter(["\nUser:"]);

        Assert.Equal("The end.", filter.Append("The end.\nUs"));
        Assert.Equal("\nUs", filter.Flush());
        Assert.False(filter.Stopped);
    }

    [Fact]
    public void Without_stops_text_passes_through()
    {
        var filter = new StopSequenceFilter(null);
        Assert.Equal("anything at all", filter.Append("anything at all"));
        Assert.Equal("", filter.Flush());

        var empties = new StopSequenceFilter(["", null!]);
        Assert.Equal("still passes", empties.Append("still passes"));
        Assert.False(empties.Stopped);
    }

    [Fact]
    public void Overlapping_stop_is_found_after_a_false_start()
    {
        var filter = new StopSequenceFilter(["aab"]);

        Assert.Equal("", filter.Append("a"));
        Assert.Equal("", filter.Append("a"));
        Assert.Equal("a", filter.Append("a"));
        Assert.Equal("", filter.Append("b!"));
        Assert.True(filter.Stopped);

        Assert.Equal("xa", new StopSequenceFilter(["aab"]).Append("xaaab"));
    }

    [Fact]
    public void Self_overlapping_stop_with_a_repeated_prefix()
    {
        // "abab" after "ababa": the automaton must fall back to "aba", not restart.
        var filter = new StopSequenceFilter(["ababc"]);

        Assert.Equal("", filter.Append("abab"));
        Assert.Equal("ab", filter.Append("abc"));
        Assert.True(filter.Stopped);
    }

    [Fact]
    public void Surrogate_pairs_are_not_split()
    {
        var filter = new StopSequenceFilter(["\U0001F600!"]);

        Assert.Equal("hi ", filter.Append("hi \U0001F600"));
        Assert.Equal("\U0001F600?", filter.Append("?"));

        var unrelated = new StopSequenceFilter(["zz"]);
        Assert.Equal("a", unrelated.Append("a\uD83D"));
        Assert.Equal("\uD83D\uDE00", unrelated.Append("\uDE00"));
    }

    [Fact]
    public void Long_generation_passes_through_whole()
    {
        var filter = new StopSequenceFilter(["never appears here", "<|im_end|>"]);
        var shown = new StringBuilder();
        for (int i = 0; i < 200_000; i++)
        {
            shown.Append(filter.Append("tok "));
        }

        shown.Append(filter.Flush());

        Assert.Equal(800_000, shown.Length);
        Assert.False(filter.Stopped);
    }

    private static string Run(StopSequenceFilter filter, IEnumerable<string> chunks)
    {
        var shown = new StringBuilder();
        foreach (string chunk in chunks)
        {
            shown.Append(filter.Append(chunk));
        }

        return shown.Append(filter.Flush()).ToString();
    }
}
