using Switchyard.Local.Templates;

namespace Switchyard.Local.Tests.Templates;

/// <summary>
/// The Jinja subset itself, one feature per case. Expected texts are what Jinja2 3.1 renders with Hugging Face's
/// settings (trim_blocks, lstrip_blocks, loop controls, its tojson).
/// </summary>
public sealed class TemplateLanguageTests
{
    private static readonly ChatTemplateMessage[] Messages = [new("user", "hi"), new("assistant", "yo")];

    private static string Render(string template, IReadOnlyDictionary<string, object?>? variables = null) =>
        ChatTemplate.Parse(template).Render(Messages, new ChatTemplateContext("<s>", "</s>", AddGenerationPrompt: true) { Variables = variables });

    [Theory]
    [InlineData("  {% if true %}\n  x\n  {% endif %}\n  {{ 'y' }}\n", "  x\n  y")]
    [InlineData("a  {%- if true -%}  b  {%- endif -%}  c", "abc")]
    [InlineData("x {{- ' y ' -}} z", "x y z")]
    [InlineData("a\n  {%+ if true %}b{% endif %}\n", "a\n  b")]
    [InlineData("{% if true +%}\nkeep{% endif %}", "\nkeep")]
    [InlineData("{# c #}\n  {#- d #}\na", "a")]
    [InlineData("line1\n    {% for i in range(3) %}\n    item{{ i }}\n    {% endfor %}\nend\n", "line1\n    item0\n    item1\n    item2\nend")]
    [InlineData("{{ 'a' }}  {% if true %}b{% endif %}", "a  b")]
    [InlineData("a\r\n  {% if true %}\r\n  b\r\n  {% endif %}\r\nc\r\n", "a\n  b\nc")]
    [InlineData("{%- if true %}\n    A\n{%- else %}\n    B\n{%- endif %}\n", "    A")]
    [InlineData("{% raw %}{{ not parsed }}{% endraw %} after", "{{ not parsed }} after")]
    [InlineData("{% generation %}gen {{ 1 }}{% endgeneration %}", "gen 1")]
    public void WhitespaceControl_MatchesTransformersSettings(string template, string expected) =>
        Assert.Equal(expected, Render(template));

    [Theory]
    [InlineData("{{ 1/2 }} {{ 4/2 }} {{ 7//2 }} {{ -7 % 3 }} {{ 2**10 }} {{ -7//2 }} {{ 7 % -3 }}", "0.5 2.0 3 2 1024 -4 -2")]
    [InlineData("{{ 1e20 }} {{ 1e-5 }} {{ 1e15 }} {{ 1e16 }} {{ 0.1+0.2 }} {{ 100.0 }} {{ -2.5 }}", "1e+20 1e-05 1000000000000000.0 1e+16 0.30000000000000004 100.0 -2.5")]
    [InlineData("{{ [1, 'a', none, true, 1.5, {'k': 'v'}] }}", "[1, 'a', None, True, 1.5, {'k': 'v'}]")]
    [InlineData("{{ none }}|{{ undefined_thing }}|{{ True }}|{{ false }}", "None||True|False")]
    [InlineData("{{ 'abc'[1:] }}{{ [1,2,3][::-1] }}{{ [1,2,3,4,5][1:-1:2] }}{{ 'hello'[-3:] }}{{ [1,2,3][5:] }}", "bc[3, 2, 1][2, 4]llo[]")]
    [InlineData("{{ 'x' ~ none ~ 1 ~ 2.5 ~ true }}", "xNone12.5True")]
    [InlineData("{{ 'x' * 3 }}{{ [1] * 2 }}{{ -(3) }}{{ +4 }}{{ 10 / 4 }}", "xxx[1, 1]-342.5")]
    [InlineData("{{ 3 > 2 > 1 }}{{ 1 < 2 < 0 }}{{ 3 == 3.0 }}{{ true == 1 }}{{ [1,2] == [1,2] }}{{ 1 != '1' }}", "TrueFalseTrueTrueTrueTrue")]
    [InlineData("{{ 'abc' in 'xabcx' }}{{ 1 in [1,2] }}{{ 'a' in {'a':1} }}{{ 3 not in [1,2] }}", "TrueTrueTrueTrue")]
    [InlineData("{{ not true }}{{ not none }}{{ true and 'x' }}{{ false or 'y' }}{{ none and 1 }}", "FalseTruexyNone")]
    [InlineData("{{ 'x' if true else 'y' }}{{ 'x' if false else 'y' }}{{ 1 if none else 2 if true else 3 }}{{ 5 if false }}", "xy2")]
    [InlineData("{{ messages[0].role }}{{ messages[-1]['content'] }}{{ messages | length }}{{ (messages | last).role }}", "useryo2assistant")]
    [InlineData("{{ {'x': 1}['y'] is defined }}{{ [1][3] is defined }}{{ none.foo is defined }}", "FalseFalseFalse")]
    [InlineData("{{ 'a\\nb' }}|{{ \"it's\" }}|{{ '\\u00e9\\x41' }}|{{ 'back\\\\slash' }}", "a\nb|it's|éA|back\\slash")]
    [InlineData("{{ [\"it's\", 'a\\nb', 'q\"'] }}", "[\"it's\", 'a\\nb', 'q\"']")]
    public void Expressions_FollowPython(string template, string expected) =>
        Assert.Equal(expected, Render(template));

    [Theory]
    [InlineData("{{ x is defined }}{{ none is none }}{{ 'a' is string }}{{ 'a' is iterable }}{{ {} is mapping }}", "FalseTrueTrueTrueTrue")]
    [InlineData("{{ 3 is divisibleby 3 }}{{ 3 is odd }}{{ 4 is even }}{{ 3 is number }}{{ 3.0 is float }}{{ 3 is integer }}", "TrueTrueTrueTrueTrueTrue")]
    [InlineData("{{ x is undefined }}{{ 'a' is not none }}{{ 1 is sameas 1 }}{{ 'A' is upper }}{{ 'a' is lower }}", "TrueTrueTrueTrueTrue")]
    public void Tests_AfterIs(string template, string expected) =>
        Assert.Equal(expected, Render(template));

    [Theory]
    [InlineData("{{ 'abc' | upper }}{{ 'ABC' | lower }}{{ 'hello world' | capitalize }}{{ 'hello big-world (x)' | title }}", "ABCabcHello worldHello Big-World (X)")]
    [InlineData("[{{ ' x ' | trim }}]{{ 'a-b-c' | replace('-', '+') }}{{ 'aaa' | replace('a', 'b', 2) }}", "[x]a+b+cbba")]
    [InlineData("{{ x | default('dflt') }}|{{ '' | default('e', true) }}|{{ none | default('n') }}|{{ 0 | d(5, boolean=true) }}", "dflt|e|None|5")]
    [InlineData("{{ [1,2,3] | first }}{{ [1,2,3] | last }}{{ 'abc' | first }}{{ [] | first }}|{{ 'abc' | length }}{{ {'a':1} | length }}{{ x | length }}", "13a|310")]
    [InlineData("{{ 42 | string }}{{ 4.0 | string }}{{ none | string }}{{ '3' | int + 1 }}{{ 'x' | int }}{{ '2.5' | float }}{{ 3.9 | int }}{{ -3 | abs }}", "424.0None402.533")]
    [InlineData("{{ [1,2,3] | join }}{{ [1,2,3] | join('-') }}{{ [{'n':'a'},{'n':'b'}] | join(',', attribute='n') }}", "1231-2-3a,b")]
    [InlineData("{{ ['b','a','C'] | sort | join(',') }}|{{ [3,1,2] | sort(reverse=true) | list }}|{{ [1,2,2,3,1] | unique | list }}|{{ [1,2,3] | sum }}|{{ [1,5,3] | max }}", "a,b,C|[3, 2, 1]|[1, 2, 3]|6|5")]
    [InlineData("{{ [{'r':'a','v':1},{'r':'b','v':2},{'r':'a','v':3}] | selectattr('r', 'equalto', 'a') | map(attribute='v') | list }}", "[1, 3]")]
    [InlineData("{{ [{'r':'a'},{'r':'b'}] | rejectattr('r', 'equalto', 'a') | list }}|{{ [0,1,2,'',none] | select | list }}|{{ [1,2,3,4] | reject('odd') | list }}", "[{'r': 'b'}]|[1, 2]|[2, 4]")]
    [InlineData("{% for k, v in {'a': 1, 'b': [2]} | items %}{{ k }}={{ v }};{% endfor %}{% for k in x | items %}never{% endfor %}", "a=1;b=[2];")]
    [InlineData("{{ ['a', 'b'] | map('upper') | join }}{{ '  multi\n line ' | indent(2) }}", "AB  multi\n   line ")]
    [InlineData("{% for k, v in {'b': 1, 'A': 2, 'c': 0} | dictsort %}{{ k }}{{ v }}{% endfor %}|{% for k, v in {'b': 1, 'a': 2} | dictsort(by='value', reverse=true) %}{{ k }}{% endfor %}", "A2b1c0|ab")]
    [InlineData("{{ none | selectattr('type', 'equalto', 'x') | list | length }}{{ none | map(attribute='a') | list }}", "0[]")]
    public void Filters(string template, string expected) =>
        Assert.Equal(expected, Render(template));

    [Theory]
    [InlineData("{{ {'a': [1, 2.0, 'é\"<\\\\'], 'b': none, 'c': true} | tojson }}", "{\"a\": [1, 2.0, \"é\\\"<\\\\\"], \"b\": null, \"c\": true}")]
    [InlineData("{{ {'a': [1, {'x': []}, {}], 'b': 'z'} | tojson(indent=2) }}", "{\n  \"a\": [\n    1,\n    {\n      \"x\": []\n    },\n    {}\n  ],\n  \"b\": \"z\"\n}")]
    [InlineData("{{ {'b': 1, 'a': 2} | tojson(sort_keys=true) }}|{{ 'é' | tojson(ensure_ascii=true) }}|{{ 'a\\tb\\u0001' | tojson }}", "{\"a\": 2, \"b\": 1}|\"\\u00e9\"|\"a\\tb\\u0001\"")]
    public void ToJson_IsTransformersJsonDumps(string template, string expected) =>
        Assert.Equal(expected, Render(template));

    [Theory]
    [InlineData("{{ 'Hello World'.split() }}{{ 'a,b,,c'.split(',') }}{{ 'a b c'.split(' ', 1) }}{{ 'aXbXc'.split('X')[-1] }}", "['Hello', 'World']['a', 'b', '', 'c']['a', 'b c']c")]
    [InlineData("[{{ ' a '.strip() }}]{{ 'xxaxx'.strip('x') }}{{ 'Hello'.lstrip('H') }}{{ 'Hello'.rstrip('o') }}", "[a]aelloHell")]
    [InlineData("{{ 'abc'.startswith(('x','a')) }}{{ 'Ab'.endswith('b') }}{{ 'hello world'.title() }}{{ 'aXb'.lower() }}{{ 'aXb'.upper() }}", "TrueTrueHello WorldaxbAXB")]
    [InlineData("{{ 'abcabc'.find('c') }}{{ 'abcabc'.count('bc') }}{{ 'abc'.replace('b', '') }}{{ ', '.join(['a', 'b']) }}", "22aca, b")]
    [InlineData("{% for k, v in {'a': 1, 'b': 2}.items() %}{{ k }}={{ v }} {% endfor %}{{ {'a':1}.get('a') }}{{ {'a':1}.get('b', 'd') }}{{ {'a':1}.keys() | list }}", "a=1 b=2 1d['a']")]
    public void StringAndDictMethods(string template, string expected) =>
        Assert.Equal(expected, Render(template));

    [Theory]
    [InlineData("{% set x = 0 %}{% for i in [1,2] %}{{ x }}{% set x = x + 1 %}{{ x }}{% endfor %}{{ x }}", "01010")]
    [InlineData("{% for i in [1,2] %}{% if i == 1 %}{% set y = 5 %}{% endif %}{{ y }}|{% endfor %}{{ y }}", "5||")]
    [InlineData("{% if true %}{% set z = 3 %}{% endif %}{{ z }}", "3")]
    [InlineData("{% set ns = namespace(a=1, b='x') %}{% for i in range(3) %}{% set ns.a = ns.a + i %}{% endfor %}{{ ns.a }}{{ ns.b }}", "4x")]
    [InlineData("{% set a, b = [1, 2] %}{{ a }}{{ b }}", "12")]
    [InlineData("{% set block %}  inner {{ 1 + 1 }}  {% endset %}[{{ block }}]", "[  inner 2  ]")]
    [InlineData("{% set d = {1: 'one', 2.0: 'two', 'k': 'v'} %}{{ d[1] }}{{ d[2] }}{{ d[1.0] }}{{ d.k }}{{ 1 in d }}{{ d | tojson }}", "onetwoonevTrue{\"1\": \"one\", \"2.0\": \"two\", \"k\": \"v\"}")]
    public void Assignment_ScopesLikeJinja(string template, string expected) =>
        Assert.Equal(expected, Render(template));

    [Theory]
    [InlineData("{% for i in range(5) if i is odd %}{{ loop.index }}{{ loop.length }}{{ loop.first }}{{ loop.last }}{{ loop.revindex }};{% endfor %}", "12TrueFalse2;22FalseTrue1;")]
    [InlineData("{% for i in [] %}x{% else %}empty{% endfor %}", "empty")]
    [InlineData("{% for i in range(10) %}{% if i == 2 %}{% continue %}{% endif %}{% if i == 5 %}{% break %}{% endif %}{{ i }}{% endfor %}", "0134")]
    [InlineData("{% for a in [[1,2],[3,4]] %}{% for b in a %}{{ loop.index }}{{ b }}{% endfor %}{{ loop.index }};{% endfor %}", "11221;13242;")]
    [InlineData("{% for m in messages %}{{ loop.index0 }}:{{ loop.previtem.role if loop.previtem is defined else '-' }}>{{ loop.nextitem.role if not loop.last else '$' }} {% endfor %}", "0:->assistant 1:user>$ ")]
    [InlineData("{{ range(3) | list }}{{ range(1, 10, 3) | list }}{{ range(5, 0, -2) | list }}{% for i in range(3) %}{{ loop.cycle('a', 'b') }}{% endfor %}", "[0, 1, 2][1, 4, 7][5, 3, 1]aba")]
    public void Loops(string template, string expected) =>
        Assert.Equal(expected, Render(template));

    [Fact]
    public void Macros_TakePositionalKeywordAndDefaultArguments()
    {
        string text = Render("{% macro greet(name, punct='!') %}Hi {{ name }}{{ punct }}{% endmacro %}{{ greet('Bob') }} {{ greet('Al', punct='?') }} {{ greet(name='Z') }}");

        Assert.Equal("Hi Bob! Hi Al? Hi Z!", text);
    }

    [Fact]
    public void Variables_AcceptClrValues()
    {
        var variables = new Dictionary<string, object?>
        {
            ["n"] = 3,
            ["f"] = 2.5,
            ["flag"] = true,
            ["items"] = new[] { "a", "b" },
            ["map"] = new Dictionary<string, object?> { ["k"] = 1L, ["nested"] = new List<object?> { null, 1.5 } },
            ["msg"] = new ChatTemplateMessage("user", "x"),
        };

        string text = Render("{{ n + 1 }} {{ f * 2 }} {{ flag }} {{ items | join('+') }} {{ map | tojson }} {{ msg.role }}", variables);

        Assert.Equal("4 5.0 True a+b {\"k\": 1, \"nested\": [null, 1.5]} user", text);
    }

    [Fact]
    public void Variables_OverrideBuiltIns()
    {
        string text = Render("{{ bos_token }}{{ add_generation_prompt }}", new Dictionary<string, object?> { ["bos_token"] = "<B>" });

        Assert.Equal("<B>True", text);
    }

    [Fact]
    public void Variables_RejectUnusableTypes()
    {
        ChatTemplate template = ChatTemplate.Parse("{{ x }}");
        var context = new ChatTemplateContext(string.Empty, string.Empty, false) { Variables = new Dictionary<string, object?> { ["x"] = new object() } };

        ArgumentException e = Assert.Throws<ArgumentException>(() => template.Render([], context));

        Assert.Contains("'x'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StrftimeNow_UsesTheContextClock()
    {
        ChatTemplate template = ChatTemplate.Parse("{{ strftime_now('%Y-%m-%d %H:%M:%S %b %B %a %-d %y %j %p %I %%') }}");
        var context = new ChatTemplateContext(string.Empty, string.Empty, false)
        {
            TimeProvider = new FixedTimeProvider(new DateTimeOffset(2024, 9, 5, 14, 3, 9, TimeSpan.Zero)),
        };

        Assert.Equal("2024-09-05 14:03:09 Sep September Thu 5 24 249 PM 02 %", template.Render([], context));
    }

    [Fact]
    public void ParsedTemplate_RendersManyConversations()
    {
        ChatTemplate template = ChatTemplate.Parse("{% for m in messages %}<{{ m.role }}>{{ m.content }}{% endfor %}");
        var context = new ChatTemplateContext(string.Empty, string.Empty, false);

        string[] results = Enumerable.Range(0, 50)
            .AsParallel()
            .Select(i => template.Render([new("user", $"q{i}"), new("assistant", $"a{i}")], context))
            .ToArray();

        for (int i = 0; i < results.Length; i++)
        {
            Assert.Equal($"<user>q{i}<assistant>a{i}", results[i]);
        }
    }
}
