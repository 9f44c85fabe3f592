namespace Switchyard.Local.Templates;

/// <summary>One chat turn as a template sees it: <c>message.role</c> and <c>message.content</c>.</summary>
/// <param name="Role">The speaker, e.g. <c>system</c>, <c>user</c>, <c>assistant</c>.</param>
/// <param name="Content">The text of the turn.</param>
public sealed record ChatTemplateMessage(string Role, string Content);
