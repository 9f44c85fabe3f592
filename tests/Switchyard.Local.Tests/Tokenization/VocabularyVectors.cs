using System.Collections.Concurrent;
using System.Text;
using Switchyard.Local.Gguf;
using Switchyard.Local.Tokenization;

namespace Switchyard.Local.Tests.Tokenization;

/// <summary>
/// llama.cpp's tokenizer test vectors (tests/test-tokenizer-0): a vocabulary-only GGUF, the inputs (.inp, separated
/// by lines "__ggml_vocab_test__") and llama.cpp's token ids (.out, one line per input). Tokenizers are built once.
/// </summary>
internal static class VocabularyVectors
{
    public const string Separator = "\n__ggml_vocab_test__\n";

    private static readonly ConcurrentDictionary<string, Lazy<GgufTokenizer>> Tokenizers = new();

    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Tokenization", "Vectors");

    public static string GgufPath(string vocab) => Path.Combine(Directory, $"ggml-vocab-{vocab}.gguf");

    public static GgufTokenizer Tokenizer(string vocab) =>
        Tokenizers.GetOrAdd(vocab, v => new Lazy<GgufTokenizer>(() =>
        {
            using GgufFile file = GgufFile.Open(GgufPath(v));
            return GgufTokenizer.FromMetadata(file.Metadata);
        })).Value;

    /// <summary>The inputs, split as test-tokenizer-0.cpp splits them.</summary>
    public static IReadOnlyList<string> Inputs(string vocab)
    {
        string raw = Encoding.UTF8.GetString(File.ReadAllBytes(GgufPath(vocab) + ".inp"));
        var inputs = new List<string>();
        int pos = 0;
        while (pos < raw.Length)
        {
            int next = raw.IndexOf(Separator, pos, StringComparison.Ordinal);
            if (next < 0)
            {
                inputs.Add(raw[pos..]);
                break;
            }

            inputs.Add(raw[pos..next]);
            pos = next + Separator.Length;
        }

        return inputs;
    }

    /// <summary>The expected ids, one array per input.</summary>
    public static IReadOnlyList<int[]> Outputs(string vocab) =>
        File.ReadAllLines(GgufPath(vocab) + ".out", Encoding.UTF8)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray())
            .ToList();
}
