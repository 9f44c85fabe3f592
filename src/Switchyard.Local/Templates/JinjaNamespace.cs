
namespace Switchyard.Local.Templates;

/// <summary>The object <c>namespace(...)</c> returns: attributes that <c>{% set ns.x = ... %}</c> may change from inside loops.</summary>
internal sealed class JinjaNamespace
{
    public PyDict Attributes { get; } = [];
}
