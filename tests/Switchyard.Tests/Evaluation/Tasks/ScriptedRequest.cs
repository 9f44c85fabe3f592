namespace Switchyard.Tests.Evaluation.Tasks;

/// <summary>One chat request as the scripted upstream saw it.</summary>
internal sealed record ScriptedRequest(string Model, string LastUserText, string Body);
