namespace Switchyard.Local.Templates;

/// <summary>
/// A frame of variables. The template body, each for-loop iteration and each macro call get their own; lookups walk
/// outwards and <c>set</c> writes into the innermost frame, which is why templates use <c>namespace()</c> to carry
/// values out of loops.
/// </summary>
internal sealed class Scope
{
    private Dictionary<string, object?>? variables;

    public Scope(Scope? parent)
    {
        Parent = parent;
    }

    public Scope? Parent { get; }

    public bool TryGet(string name, out object? value)
    {
        for (Scope? scope = this; scope is not null; scope = scope.Parent)
        {
            if (scope.variables is not null && scope.variables.TryGetValue(name, out value))
            {
                return true;
            }
        }

        value = null;
        return false;
    }

    public void Set(string name, object? value)
    {
        variables ??= new Dictionary<string, object?>(StringComparer.Ordinal);
        variables[name] = value;
    }
}
