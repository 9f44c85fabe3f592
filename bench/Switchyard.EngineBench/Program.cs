using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Switchyard.Local.Gguf;
using Switchyard.Local.Models;
using Switchyard.Local.Synthetic;

namespace Switchyard.EngineBench;

/// <summary>
/// <c>generate --shape 0.5b|1b --type q8_0|q4_k --out FILE</c> writes a random-weight model;
/// <c>run --model FILE [--prompt 128] [--gen 64] [--reps 3]</c> measures prefill and decode tokens/s and prints JSON.
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        try
        {
            return args.FirstOrDefault() switch
            {
                "generate" => Generate(args),
                "run" => Run(args),
                _ => Usage(),
            };
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            return Usage();
        }
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: switchyard-engine-bench generate --shape 0.5b|1b --type q8_0|q4_k|f16 --out FILE");
        Console.Error.WriteLine("       switchyard-engine-bench run --model FILE [--prompt 128] [--gen 64] [--reps 3]");
        return 2;
    }

    private static string Option(string[] args, string name, string? fallback = null)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback ?? throw new ArgumentException($"{name} is required.");
    }

    private static int Generate(string[] args)
    {
        string shape = Option(args, "--shape");
        var type = Option(args, "--type").ToUpperInvariant() switch
        {
            "Q8_0" => GgmlType.Q8_0,
            "Q4_K" => GgmlType.Q4_K,
            "Q4_0" => GgmlType.Q4_0,
            "Q6_K" => GgmlType.Q6_K,
            "F16" => GgmlType.F16,
            var other => throw new ArgumentException($"unknown type {other}"),
        };
        SyntheticModelSpec spec = shape switch
        {
            // About 0.5B parameters: Qwen2-like proportions, rows a multiple of 256 so K-quants apply everywhere.
            "0.5b" => new SyntheticModelSpec
            {
                Architecture = "qwen2", EmbeddingLength = 1024, BlockCount = 24, HeadCount = 16, HeadCountKv = 4,
                FeedForwardLength = 4096, VocabularySize = 65536, ContextLength = 4096, RopeFrequencyBase = 1_000_000f,
            },
            // About 1.1B parameters: Llama-like (TinyLlama's shape with a 2048 width and 16 blocks).
            "1b" => new SyntheticModelSpec
            {
                Architecture = "llama", EmbeddingLength = 2048, BlockCount = 16, HeadCount = 32, HeadCountKv = 8,
                FeedForwardLength = 8192, VocabularySize = 32000, ContextLength = 4096,
            },
            _ => throw new ArgumentException($"unknown shape {shape}"),
        };
        spec = spec with { WeightType = type, EmbeddingType = type, Seed = 5 };
        string output = Option(args, "--out");
        var clock = Stopwatch.StartNew();
        SyntheticModel.Write(output, spec);
        Console.Error.WriteLine($"wrote {output} ({new FileInfo(output).Length / 1e6:F0} MB) in {clock.Elapsed.TotalSeconds:F1} s");
        return 0;
    }

    private static int Run(string[] args)
    {
        string path = Option(args, "--model");
        int promptTokens = int.Parse(Option(args, "--prompt", "128"), CultureInfo.InvariantCulture);
        int generate = int.Parse(Option(args, "--gen", "64"), CultureInfo.InvariantCulture);
        int reps = int.Parse(Option(args, "--reps", "3"), CultureInfo.InvariantCulture);
        using var model = TransformerModel.Load(path);
        InferenceSession session = model.CreateSession(promptTokens + generate + 8, batchSize: 64);
        float[] logits = new float[session.VocabularySize];
        var random = new Random(3);
        int[] prompt = Enumerable.Range(0, promptTokens).Select(_ => random.Next(3, session.VocabularySize)).ToArray();

        // Warm-up: JIT, page in the mapped weights.
        session.Evaluate(prompt.AsSpan(0, Math.Min(16, prompt.Length)), logits);
        session.Evaluate([prompt[0]], logits);

        var prefill = new List<double>();
        var decode = new List<double>();
        for (int r = 0; r < reps; r++)
        {
            session.Rewind(0);
            long start = Stopwatch.GetTimestamp();
            session.Evaluate(prompt, logits);
            prefill.Add(promptTokens / Stopwatch.GetElapsedTime(start).TotalSeconds);

            session.Rewind(0);
            session.Evaluate([prompt[0]], logits);
            start = Stopwatch.GetTimestamp();
            for (int i = 0; i < generate; i++)
            {
                int next = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(logits);
                session.Evaluate([next], logits);
            }

            decode.Add(generate / Stopwatch.GetElapsedTime(start).TotalSeconds);
        }

        var result = new
        {
            model = Path.GetFileName(path),
            parameters = model.Hyperparameters,
            weight_bytes_per_token = model.WeightBytesPerToken,
            threads = Environment.ProcessorCount,
            prompt_tokens = promptTokens,
            generated_tokens = generate,
            prefill_tokens_per_second = prefill.Max(),
            decode_tokens_per_second = decode.Max(),
            prefill_all = prefill,
            decode_all = decode,
        };
        Console.WriteLine(JsonSerializer.Serialize(result));
        return 0;
    }
}
