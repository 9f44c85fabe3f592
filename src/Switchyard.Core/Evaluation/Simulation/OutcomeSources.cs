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
}
