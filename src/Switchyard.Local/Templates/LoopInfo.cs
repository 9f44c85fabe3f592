namespace Switchyard.Local.Templates;

/// <summary>The <c>loop</c> variable inside a for loop.</summary>
internal sealed class LoopInfo
{
    private readonly List<object?> items;

    public LoopInfo(List<object?> items)
    {
        this.items = items;
    }

    public int Index0 { get; set; }

    public object? Get(string name) => name switch
    {
        "index" => (long)Index0 + 1,
        "index0" => (long)Index0,
        "revindex" => (long)(items.Count - Index0),
        "revindex0" => (long)(items.Count - Index0 - 1),
        "first" => Index0 == 0,
        "last" => Index0 == items.Count - 1,
        "length" => (long)items.Count,
        "depth" => 1L,
        "depth0" => 0L,
        "previtem" => Index0 > 0 ? items[Index0 - 1] : new Undefined("there is no previous item"),
        "nextitem" => Index0 + 1 < items.Count ? items[Index0 + 1] : new Undefined("there is no next item"),
        "cycle" => new BoundMethod(this, "cycle"),
        _ => new Undefined($"'LoopContext' object has no attribute '{name}'"),
    };

    public object? Cycle(CallArgs args)
    {
        if (args.Positional.Count == 0)
        {
            throw PyOps.Fail("loop.cycle() needs at least one value");
        }

        return args.Positional[Index0 % args.Positional.Count];
    }

    public override string ToString() => $"<LoopContext {Index0 + 1}/{items.Count}>";
}
