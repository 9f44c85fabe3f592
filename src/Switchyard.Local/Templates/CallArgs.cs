namespace Switchyard.Local.Templates;

/// <summary>Evaluated arguments of a call, filter or test: positional values then keyword values.</summary>
internal sealed class CallArgs
{
    public static readonly CallArgs Empty = new([], []);

    public CallArgs(List<object?> positional, List<KeyValuePair<string, object?>> named)
    {
        Positional = positional;
        Named = named;
    }

    public List<object?> Positional { get; }

    public List<KeyValuePair<string, object?>> Named { get; }

    /// <summary>The argument at <paramref name="index"/> or named <paramref name="name"/>, else <paramref name="fallback"/>.</summary>
    public object? Get(int index, string name, object? fallback = null)
    {
        if (index >= 0 && index < Positional.Count)
        {
            return Positional[index];
        }

        foreach (KeyValuePair<string, object?> pair in Named)
        {
            if (pair.Key == name)
            {
                return pair.Value;
            }
        }

        return fallback;
    }

    public bool Has(int index, string name)
    {
        if (index >= 0 && index < Positional.Count)
        {
            return true;
        }

        foreach (KeyValuePair<string, object?> pair in Named)
        {
            if (pair.Key == name)
            {
                return true;
            }
        }

        return false;
    }

    public string GetString(int index, string name, string fallback) => Get(index, name) switch
    {
        null => fallback,
        Undefined => fallback,
        string s => s,
        object other => throw PyOps.Fail($"argument '{name}' must be a string, not {PyOps.TypeName(other)}"),
    };

    public CallArgs Skip(int count) =>
        count == 0 ? this : new CallArgs(Positional.Count > count ? Positional.GetRange(count, Positional.Count - count) : [], Named);
}
