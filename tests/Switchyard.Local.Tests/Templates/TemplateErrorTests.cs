using Switchyard.Local.Templates;

namespace Switchyard.Local.Tests.Templates;

public sealed class TemplateErrorTests
{
    private static readonly ChatTemplateContext Context = new("<s>", "</s>", AddGenerationPrompt: true);

    private static ChatTemplateException ParseError(string template) =>
        Assert.Throws<ChatTemplateException>(() => ChatTemplate.Parse(template));

    private static ChatTemplateException RenderError(string template, params ChatTemplateMessage[] messages) =>
        Assert.Throws<ChatTemplateException>(() => ChatTemplate.Parse(template).Render(messages, Context));

    [Theory]
    [InlineData("{% if true %}never closed", 1, 26, "'endif'")]
    [InlineData("{% foo %}", 1, 4, "unknown tag 'foo'")]
    [InlineData("{{ 1 + }}", 1, 8, "expected an expression")]
    [InlineData("ok\n{% break %}", 2, 4, "'break' is only allowed inside a for loop")]
    [InlineData("{{ 'unterminated }}", 1, 4, "string literal is not closed")]
    [InlineData("{{ x ", 1, 1, "tag is not closed")]
    [InlineData("{% endif %}", 1, 4, "unexpected 'endif'")]
    [InlineData("{% for x in %}{% endfor %}", 1, 13, "expected an expression")]
    [InlineData("{{ (1 }}", 1, 7, "unexpected '}', expected ')'")]
    [InlineData("{# never closed", 1, 1, "missing end of comment tag")]
    [InlineData("line one\n  line two {{ a b }}", 2, 17, "expected '}}'")]
    [InlineData("{% set x %}{% endfor %}", 1, 15, "unexpected 'endfor'")]
    [InlineData("{% for x in y recursive %}{% endfor %}", 1, 15, "recursive")]
    [InlineData("{% include 'x' %}", 1, 4, "'include' tag is not supported")]
    public void SyntaxErrors_NameLineAndColumn(string template, int line, int column, string fragment)
    {
        ChatTemplateException e = ParseError(template);

        Assert.Equal(ChatTemplateErrorKind.Syntax, e.Kind);
        Assert.Equal(line, e.Line);
        Assert.Equal(column, e.Column);
        Assert.Contains($"line {line}, column {column}", e.Message, StringComparison.Ordinal);
        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownFilter_IsASyntaxErrorNamingTheFilter()
    {
        ChatTemplateException e = ParseError("{{ messages }}\n{{ messages | shout }}");

        Assert.Equal(ChatTemplateErrorKind.Syntax, e.Kind);
        Assert.Equal(2, e.Line);
        Assert.Equal(15, e.Column);
        Assert.Contains("no filter named 'shout'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownTest_IsASyntaxErrorNamingTheTest()
    {
        ChatTemplateException e = ParseError("{% if x is shiny %}{% endif %}");

        Assert.Equal(ChatTemplateErrorKind.Syntax, e.Kind);
        Assert.Contains("no test named 'shiny'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownFilterInsideMap_FailsWhenRendered()
    {
        ChatTemplateException e = RenderError("{{ ['a'] | map('shout') | list }}");

        Assert.Equal(ChatTemplateErrorKind.Render, e.Kind);
        Assert.Contains("no filter named 'shout'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RaiseException_SurfacesTheTemplatesMessageAndPosition()
    {
        const string template = "{% for m in messages %}\n{% if m.role == 'tool' %}{{ raise_exception('Tools are not supported: ' ~ m.content) }}{% endif %}{% endfor %}";

        ChatTemplateException e = RenderError(template, new("user", "hi"), new("tool", "42"));

        Assert.Equal(ChatTemplateErrorKind.Raised, e.Kind);
        Assert.Equal("Tools are not supported: 42", e.Message);
        Assert.Equal(2, e.Line);
        Assert.Equal(29, e.Column);
    }

    [Fact]
    public void RaiseException_FromAMacro_KeepsItsKind()
    {
        ChatTemplateException e = RenderError("{% macro fail() %}{{ raise_exception('inner') }}{% endmacro %}{{ fail() }}");

        Assert.Equal(ChatTemplateErrorKind.Raised, e.Kind);
        Assert.Equal("inner", e.Message);
    }

    [Theory]
    [InlineData("{{ x.y }}", "'x' is undefined")]
    [InlineData("{{ messages[0].nope.deeper }}", "'dict object' has no attribute 'nope'")]
    [InlineData("{{ 'a' + 1 }}", "can only concatenate str (not \"int\") to str")]
    [InlineData("{{ 1 + x }}", "'x' is undefined")]
    [InlineData("{{ 1 < 'a' }}", "'<' not supported between instances of 'int' and 'str'")]
    [InlineData("{{ 10 / 0 }}", "division by zero")]
    [InlineData("{{ nothing() }}", "'nothing' is undefined")]
    [InlineData("{{ 5() }}", "'int' object is not callable")]
    [InlineData("{% for x in 5 %}{% endfor %}", "'int' object is not iterable")]
    [InlineData("{% set n = 1 %}{% set n.a = 2 %}", "non-namespace")]
    [InlineData("{{ {'a': x} | tojson }}", "Object of type Undefined is not JSON serializable")]
    [InlineData("{{ 9223372036854775807 + 1 }}", "integer overflow")]
    public void RenderErrors_ExplainWhatFailed(string template, string fragment)
    {
        ChatTemplateException e = RenderError(template, new ChatTemplateMessage("user", "hi"));

        Assert.Equal(ChatTemplateErrorKind.Render, e.Kind);
        Assert.Equal(1, e.Line);
        Assert.True(e.Column >= 1);
        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderError_PointsAtTheFailingExpression()
    {
        ChatTemplateException e = RenderError("{% for m in messages %}\n  {{ m.content + 1 }}\n{% endfor %}", new ChatTemplateMessage("user", "hi"));

        Assert.Equal(2, e.Line);
        Assert.Equal(16, e.Column);
        Assert.StartsWith("Render error at line 2, column 16:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MacroRecursion_IsBounded()
    {
        ChatTemplateException e = RenderError("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}");

        Assert.Contains("nests deeper", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Range_IsBounded()
    {
        ChatTemplateException e = RenderError("{% for i in range(1000000) %}{% endfor %}");

        Assert.Contains("range too big", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MistralTemplate_RejectsNonAlternatingRoles()
    {
        ChatTemplate template = TemplateTestData.Load("mistral-7b-instruct-v0.2.jinja");

        ChatTemplateException e = Assert.Throws<ChatTemplateException>(() => template.Render(TemplateTestData.Conversation, Context));

        Assert.Equal(ChatTemplateErrorKind.Raised, e.Kind);
        Assert.Equal("Conversation roles must alternate user/assistant/user/assistant/...", e.Message);
    }
}
