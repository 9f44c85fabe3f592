using Switchyard.Local.Templates;
using Switchyard.Local.Tests.Infrastructure;

namespace Switchyard.Local.Tests.Templates;

/// <summary>Template files under Templates/Data and the conversations the tests render.</summary>
internal static class TemplateTestData
{
    /// <summary>The conversation llama.cpp's test-chat-template.cpp renders with every template.</summary>
    public static readonly ChatTemplateMessage[] Conversation =
    [
        new("system", "You are a helpful assistant"),
        new("user", "Hello"),
        new("assistant", "Hi there"),
        new("user", "Who are you"),
        new("assistant", "   I am an assistant   "),
        new("user", "Another question"),
    ];

    /// <summary>The same conversation without its system message, for templates that reject one.</summary>
    public static ChatTemplateMessage[] WithoutSystem => Conversation[1..];

    public static string Read(string fileName) =>
        File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "tests", "Switchyard.Local.Tests", "Templates", "Data", fileName));

    public static ChatTemplate Load(string fileName) => ChatTemplate.Parse(Read(fileName));

    public static string Render(string fileName, IReadOnlyList<ChatTemplateMessage> messages, string bos = "", string eos = "", bool addGenerationPrompt = true) =>
        Load(fileName).Render(messages, new ChatTemplateContext(bos, eos, addGenerationPrompt));
}
