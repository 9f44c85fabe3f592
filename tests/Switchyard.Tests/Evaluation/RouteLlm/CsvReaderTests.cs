using Switchyard.Evaluation.RouteLlm;

namespace Switchyard.Tests.Evaluation.RouteLlm;

public sealed class CsvReaderTests
{
    private static List<IReadOnlyList<string>> ReadAll(string text)
    {
        using var reader = new CsvReader(new StringReader(text), "test.csv");
        var records = new List<IReadOnlyList<string>>();
        while (reader.ReadRecord() is { } record)
        {
            records.Add(record);
        }

        return records;
    }

    [Fact]
    public void Plain_fields_and_trailing_newline()
    {
        var records = ReadAll("a,b,c\n1,2,3\n");

        Assert.Equal(2, records.Count);
        Assert.Equal(["a", "b", "c"], records[0]);
        Assert.Equal(["1", "2", "3"], records[1]);
    }

    [Fact]
    public void No_trailing_newline_still_reads_last_record()
    {
        var records = ReadAll("a,b\n1,2");

        Assert.Equal(["1", "2"], records[1]);
    }

    [Fact]
    public void Quoted_fields_with_commas_doubled_quotes_and_newlines()
    {
        var records = ReadAll("prompt,x\n\"A \"\"dished face\"\", he said,\nthen left\",True\n");

        var record = Assert.Single(records.Skip(1));
        Assert.Equal("A \"dished face\", he said,\nthen left", record[0]);
        Assert.Equal("True", record[1]);
    }

    [Fact]
    public void Crlf_ends_records_and_is_kept_inside_quoted_fields()
    {
        var records = ReadAll("a,b\r\n\"x\r\ny\",z\r\nlast,row\r\n");

        Assert.Equal(3, records.Count);
        Assert.Equal(["a", "b"], records[0]);
        Assert.Equal(["x\r\ny", "z"], records[1]);
        Assert.Equal(["last", "row"], records[2]);
    }

    [Fact]
    public void Lone_cr_ends_a_record()
    {
        var records = ReadAll("a,b\rc,d");

        Assert.Equal([["a", "b"], ["c", "d"]], records);
    }

    [Fact]
    public void Empty_fields_quoted_and_unquoted()
    {
        var records = ReadAll(",\"\",x,\n\n");

        Assert.Equal(2, records.Count);
        Assert.Equal(["", "", "x", ""], records[0]);
        Assert.Equal([""], records[1]); // A blank line is one empty field (RFC 4180).
    }

    [Fact]
    public void Empty_input_has_no_records()
    {
        Assert.Empty(ReadAll(string.Empty));
    }

    [Fact]
    public void Quoted_field_at_end_of_input_without_newline()
    {
        var records = ReadAll("\"only \"\"one\"\"\"");

        Assert.Equal(["only \"one\""], Assert.Single(records));
    }

    [Fact]
    public void Record_line_is_the_line_the_record_starts_on()
    {
        using var reader = new CsvReader(new StringReader("h\n\"a\nb\nc\"\nnext\r\nlast"), "t.csv");

        Assert.NotNull(reader.ReadRecord());
        Assert.Equal(1, reader.RecordLine);
        Assert.NotNull(reader.ReadRecord());
        Assert.Equal(2, reader.RecordLine);
        Assert.NotNull(reader.ReadRecord());
        Assert.Equal(5, reader.RecordLine);
        Assert.NotNull(reader.ReadRecord());
        Assert.Equal(6, reader.RecordLine);
        Assert.Null(reader.ReadRecord());
    }

    [Fact]
    public void Missing_closing_quote_names_file_and_line_where_field_opened()
    {
        var ex = Assert.Throws<RouteLlmFormatException>(() => ReadAll("a,b\nok,fine\n\"never closed,x\nmore text\n"));

        Assert.Equal("test.csv", ex.FilePath);
        Assert.Equal(3, ex.LineNumber);
        Assert.Contains("test.csv, line 3", ex.Message, StringComparison.Ordinal);
        Assert.Contains("closing quote", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_after_closing_quote_is_rejected()
    {
        var ex = Assert.Throws<RouteLlmFormatException>(() => ReadAll("a\n\"x\"y,z\n"));

        Assert.Equal(2, ex.LineNumber);
        Assert.Contains("after a closing quote", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Quote_inside_unquoted_field_is_rejected()
    {
        var ex = Assert.Throws<RouteLlmFormatException>(() => ReadAll("a\n5\" screen\n"));

        Assert.Equal(2, ex.LineNumber);
        Assert.Contains("unquoted field", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fields_longer_than_the_internal_buffer_are_read_whole()
    {
        string big = new string('x', 10_000) + "\"\n" + new string('y', 5_000);
        string csv = "h\n\"" + big.Replace("\"", "\"\"", StringComparison.Ordinal) + "\",end\n";

        var records = ReadAll(csv);

        Assert.Equal([big, "end"], records[1]);
    }
}
