using System.Net;
using System.Text;

namespace Switchyard.Cli.Reports;

/// <summary>A small self-contained HTML report (the chart embedded as a data URI): opens in any browser, no assets.</summary>
internal sealed class HtmlReport
{
    private readonly StringBuilder _body = new();

    public HtmlReport(string title) => Title = title;

    public string Title { get; }

    public HtmlReport Heading(string text)
    {
        _body.Append("<h2>").Append(WebUtility.HtmlEncode(text)).Append("</h2>\n");
        return this;
    }

    public HtmlReport Paragraph(string text)
    {
        _body.Append("<p>").Append(WebUtility.HtmlEncode(text)).Append("</p>\n");
        return this;
    }

    public HtmlReport List(IEnumerable<string> items)
    {
        _body.Append("<ul>\n");
        foreach (var item in items)
        {
            _body.Append("<li>").Append(WebUtility.HtmlEncode(item)).Append("</li>\n");
        }

        _body.Append("</ul>\n");
        return this;
    }

    public HtmlReport Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        _body.Append("<table>\n<tr>");
        foreach (var h in header)
        {
            _body.Append("<th>").Append(WebUtility.HtmlEncode(h)).Append("</th>");
        }

        _body.Append("</tr>\n");
        foreach (var row in rows)
        {
            _body.Append("<tr>");
            foreach (var cell in row)
            {
                _body.Append("<td>").Append(WebUtility.HtmlEncode(cell)).Append("</td>");
            }

            _body.Append("</tr>\n");
        }

        _body.Append("</table>\n");
        return this;
    }

    public HtmlReport Image(string pngPath, string alt)
    {
        if (File.Exists(pngPath))
        {
            _body.Append("<img alt=\"").Append(WebUtility.HtmlEncode(alt)).Append("\" src=\"data:image/png;base64,")
                .Append(Convert.ToBase64String(File.ReadAllBytes(pngPath))).Append("\">\n");
        }

        return this;
    }

    public void Save(string path)
    {
        var html = new StringBuilder()
            .Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
            .Append(WebUtility.HtmlEncode(Title))
            .Append("</title>\n<style>body{font-family:system-ui,sans-serif;max-width:1040px;margin:2em auto;padding:0 1em;color:#222}")
            .Append("table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:.3em .6em;text-align:right}")
            .Append("th:first-child,td:first-child{text-align:left}img{max-width:100%}</style></head>\n<body>\n<h1>")
            .Append(WebUtility.HtmlEncode(Title)).Append("</h1>\n")
            .Append(_body)
            .Append("</body></html>\n");
        File.WriteAllText(path, html.ToString());
    }
}
