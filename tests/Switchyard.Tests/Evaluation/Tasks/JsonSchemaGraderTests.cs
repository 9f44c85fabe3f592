using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchyard.Evaluation.Tasks;

namespace Switchyard.Tests.Evaluation.Tasks;

public sealed class JsonSchemaGraderTests
{
    private static readonly ChatMessage[] Question = [new(ChatRole.User, "q")];

    private static JsonSchemaGrader Person() => new(JsonDocument.Parse("""
        {"type":"object","properties":{"name":{"type":"string"},"age":{"type":"integer","minimum":0}},"required":["name","age"],"additionalProperties":false}
        """).RootElement);

    private static async Task<GradeResult> Grade(JsonSchemaGrader grader, string answer) => await grader.GradeAsync(Question, answer, CancellationToken.None);

    [Theory]
    [InlineData("""{"name":"Ada","age":36}""")]
    [InlineData("  {\"name\": \"Ada\", \"age\": 36}\n")]
    [InlineData("Here you go:\n```json\n{\"name\":\"Ada\",\"age\":36}\n```\nAnything else?")]
    [InlineData("```\n{\"name\":\"Ada\",\"age\":0}\n```")]
    public async Task ValidJson_ScoresOne(string answer) => Assert.Equal(1.0, (await Grade(Person(), answer)).Score);

    [Fact]
    public async Task MissingProperty_ScoresZeroNamingTheProblem()
    {
        var result = await Grade(Person(), """{"name":"Ada"}""");
        Assert.Equal(0.0, result.Score);
        Assert.Contains("age", result.Explanation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"name":"Ada","age":-1}""")]
    [InlineData("""{"name":"Ada","age":"36"}""")]
    [InlineData("""{"name":"Ada","age":36,"extra":true}""")]
    [InlineData("""[{"name":"Ada","age":36}]""")]
    public async Task SchemaViolations_ScoreZero(string answer) => Assert.Equal(0.0, (await Grade(Person(), answer)).Score);

    [Theory]
    [InlineData("name: Ada, age: 36")]
    [InlineData("{\"name\":\"Ada\",")]
    [InlineData("")]
    public async Task NotJson_ScoresZero(string answer)
    {
        var result = await Grade(Person(), answer);
        Assert.Equal(0.0, result.Score);
        Assert.Contains("not valid JSON", result.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidSchema_IsRejectedWhenBuilt() =>
        Assert.ThrowsAny<ArgumentException>(() => new JsonSchemaGrader(JsonDocument.Parse("""{"type": 5}""").RootElement));

    [Fact]
    public async Task TwoSchemasWithTheSameId_DoNotCollide()
    {
        var a = new JsonSchemaGrader(JsonDocument.Parse("""{"$id":"https://example.com/s","type":"string"}""").RootElement);
        var b = new JsonSchemaGrader(JsonDocument.Parse("""{"$id":"https://example.com/s","type":"number"}""").RootElement);
        Assert.Equal(1.0, (await Grade(a, "\"x\"")).Score);
        Assert.Equal(1.0, (await Grade(b, "3")).Score);
        Assert.Equal(0.0, (await Grade(b, "\"x\"")).Score);
    }
}
