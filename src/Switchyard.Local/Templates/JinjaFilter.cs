namespace Switchyard.Local.Templates;

/// <summary>A filter such as <c>trim</c> or <c>tojson</c>: the value on the left of <c>|</c> and the filter's arguments.</summary>
internal delegate object? JinjaFilter(RenderState state, object? value, CallArgs args);
