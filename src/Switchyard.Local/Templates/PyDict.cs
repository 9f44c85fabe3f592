namespace Switchyard.Local.Templates;

/// <summary>A Python dict: insertion-ordered, keyed by strings, numbers or booleans with Python's key equality (1 == 1.0 == True).</summary>
internal sealed class PyDict : OrderedDictionary<object, object?>
{
    public PyDict()
        : base(PyKeyComparer.Instance)
    {
    }

    /// <summary>Checks that <paramref name="key"/> can be a dict key and returns it.</summary>
    public static object Key(object? key) => key switch
    {
        string or long or double or bool => key,
        Undefined undefined => throw undefined.Fail(),
        _ => throw PyOps.Fail($"unhashable or unsupported dict key type: '{PyOps.TypeName(key)}'"),
    };
}
