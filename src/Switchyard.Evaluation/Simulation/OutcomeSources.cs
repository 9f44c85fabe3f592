namespace Switchyard.Evaluation.Simulation;

/// <summary>Reads outcome data from any supported source: a RouteLLM benchmark directory (or a file in one), or our JSONL.</summary>
public static class OutcomeSources
{
    /// <summary>Reads <paramref name="path"/>; format errors surface as the readers' exceptions, naming file and line.</summary>
    public static OutcomeSet Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (RouteLlm.RouteLlmReader.TryRead(path, out var set))
        {
            return set;
        }

        if (Directory.Exists(path))
        {
            throw new FileNotFoundException($"'{path}' is a directory but not one of RouteLLM's benchmark folders (mmlu, gsm8k, mt_bench); give an outcome .jsonl file or such a folder.", path);
        }

        return OutcomeJsonl.Read(path);
    }

    /// <summary>
    /// Reads one source, or several separated by commas (<c>a.jsonl,data/routellm-evals/gsm8k</c>) into one mixed
    /// set: each record's id is prefixed with its source's name and its <see cref="OutcomeRecord.Source"/> set, so that
    /// prompts of different tasks never collide and can be grouped by task.
    /// </summary>
    public static OutcomeSet LoadMany(string spec)
    {
        ArgumentException.ThrowIfNullOrEmpty(spec);
        if (File.Exists(spec) || Directory.Exists(spec) || !spec.Contains(',', StringComparison.Ordinal))
        {
            var single = Load(spec);
            return single with { Records = [.. single.Records.Select(r => r with { Source = r.Source ?? single.Name })] };
        }

        var parts = spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var sets = parts.Select(Load).ToList();
        var names = sets.Select(s => s.Name).ToList();
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Count)
        {
            names = [.. parts];
        }

        var records = new List<OutcomeRecord>();
        for (var i = 0; i < sets.Count; i++)
        {
            records.AddRange(sets[i].Records.Select(r => r with { Id = $"{names[i]}:{r.Id}", Source = names[i] }));
        }

        return new OutcomeSet(string.Join(" + ", names), records);
    }
}
