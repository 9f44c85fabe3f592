using System.Text;

namespace Switchyard.Local.Templates;

/// <summary>Everything one render needs: the output, the current variable frame, the clock.</summary>
internal sealed class RenderState
{
    public const int MaxCallDepth = 200;

    public RenderState(TemplateSource source, Scope scope, TimeProvider timeProvider)
    {
        Source = source;
        Scope = scope;
        TimeProvider = timeProvider;
    }

    public TemplateSource Source { get; }

    public StringBuilder Output { get; set; } = new();

    public Scope Scope { get; set; }

    public TimeProvider TimeProvider { get; }

    public int CallDepth { get; set; }

    public object? Lookup(string name) => Scope.TryGet(name, out object? value) ? value : Undefined.ForName(name);
}
