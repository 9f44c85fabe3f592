namespace Switchyard.Local.Templates;

/// <summary>A test such as <c>defined</c> or <c>string</c>: the value on the left of <c>is</c> and the test's arguments.</summary>
internal delegate bool JinjaTest(object? value, CallArgs args);
