namespace Switchyard.Embeddings.Tests;

[Collection(SharedEmbedder.Name)]
public sealed class MiniLmEmbedderTests(EmbedderFixture fixture)
{
    private readonly MiniLmEmbedder _embedder = fixture.Embedder;

    [Fact]
    public void Embeddings_have_384_dimensions_and_unit_length()
    {
        Assert.Equal(384, _embedder.Dimensions);
        Assert.Equal(256, _embedder.MaxTokens);
        Assert.Equal(1, _embedder.IntraOpThreads);
        foreach (string text in (string[])["hello world", "", "$x^2 + y = 10", "我爱北京天安门 🍕"])
        {
            var embedding = _embedder.Embed(text);
            Assert.Equal(384, embedding.Length);
            Assert.Equal(1.0f, Vectors.Norm(embedding), 1e-5f);
            Assert.All(embedding, v => Assert.True(float.IsFinite(v)));
        }
    }

    [Fact]
    public void Embedding_is_deterministic()
    {
        const string text = "Route hard maths questions to the strong model.";
        var first = _embedder.Embed(text);
        var second = _embedder.Embed(text);
        Assert.Equal(first, second);
        Assert.NotSame(first, second);
    }

    /// <summary>
    /// sentence-transformers' README and docs (usage/semantic_textual_similarity.rst) print these cosine similarities
    /// for all-MiniLM-L6-v2. They hold only for mean pooling over the attention mask plus normalisation (the ONNX
    /// model's second output, the BERT pooler, gives other numbers).
    /// </summary>
    [Fact]
    public void Matches_published_similarities_of_the_quickstart()
    {
        var e = _embedder.Embed(["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."]);
        Assert.Equal(0.6660f, Vectors.Cosine(e[0], e[1]), 0.01f);
        Assert.Equal(0.1046f, Vectors.Cosine(e[0], e[2]), 0.01f);
        Assert.Equal(0.1411f, Vectors.Cosine(e[1], e[2]), 0.01f);

        // The same docs' Manhattan distances between the (normalised) embeddings: the normalisation is right too.
        Assert.Equal(12.6269f, Vectors.ManhattanDistance(e[0], e[1]), 0.1f);
        Assert.Equal(20.2167f, Vectors.ManhattanDistance(e[0], e[2]), 0.1f);
        Assert.Equal(20.1288f, Vectors.ManhattanDistance(e[1], e[2]), 0.1f);
    }

    [Fact]
    public void Matches_published_similarities_of_the_sts_example()
    {
        string[] sentences1 = ["The new movie is awesome", "The cat sits outside", "A man is playing guitar"];
        string[] sentences2 = ["The dog plays in the garden", "The new movie is so great", "A woman watches TV"];
        float[,] published =
        {
            { 0.0543f, 0.8939f, -0.0502f },
            { 0.2838f, -0.0029f, 0.1310f },
            { 0.2277f, -0.0136f, -0.0327f },
        };
        var e1 = _embedder.Embed(sentences1);
        var e2 = _embedder.Embed(sentences2);
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                Assert.Equal(published[i, j], Vectors.Cosine(e1[i], e2[j]), 0.01f);
            }
        }
    }

    [Fact]
    public void Matches_published_semantic_search_scores()
    {
        // sentence-transformers examples/applications/semantic-search/README.md (all-MiniLM-L6-v2).
        var query = _embedder.Embed("A man is eating pasta.");
        (string Sentence, float Score)[] published =
        [
            ("A man is eating food.", 0.7035f),
            ("A man is eating a piece of bread.", 0.5272f),
            ("A man is riding a horse.", 0.1889f),
            ("A man is riding a white horse on an enclosed ground.", 0.1047f),
            ("A cheetah is running behind its prey.", 0.0980f),
        ];
        foreach (var (sentence, score) in published)
        {
            Assert.Equal(score, Vectors.Dot(query, _embedder.Embed(sentence)), 0.01f);
        }
    }

    [Fact]
    public void Similar_sentences_are_closer_than_unrelated_ones()
    {
        var food = _embedder.Embed("A man is eating food.");
        var bread = _embedder.Embed("A man is eating a piece of bread.");
        var baby = _embedder.Embed("The girl is carrying a baby.");
        Assert.True(Vectors.Cosine(food, bread) > Vectors.Cosine(food, baby) + 0.2f);
    }

    /// <summary>
    /// Topic clustering, with margins. Observed: mean similarity within a group 0.15 (maths 0.11, cooking 0.20),
    /// across 0.06; leave-one-out nearest centroid puts 11 of 12 in their group (the integral is nearer to cooking).
    /// all-MiniLM-L6-v2 encodes topic (eggs, bread, onions) more than "this is maths" for short formula prompts.
    /// </summary>
    [Fact]
    public void Maths_prompts_cluster_apart_from_cooking_prompts()
    {
        string[] maths =
        [
            "Solve the equation 3x + 7 = 22 for x.",
            "Find the derivative of f(x) = x^3 sin(x).",
            "Prove that the square root of 2 is irrational.",
            "Compute the integral of 1/(1+x^2) from 0 to 1.",
            "What is the probability of rolling two sixes with two dice?",
            "Factor the polynomial x^2 - 5x + 6.",
        ];
        string[] cooking =
        [
            "How long should I boil an egg for a runny yolk?",
            "Give me a recipe for tomato soup with basil.",
            "What temperature should I bake sourdough bread at?",
            "How do I caramelise onions without burning them?",
            "Can I substitute butter with olive oil when baking a cake?",
            "How do I make a creamy risotto?",
        ];
        var embeddings = _embedder.Embed([.. maths, .. cooking]);
        bool IsMaths(int i) => i < maths.Length;

        var within = new List<float>();
        var across = new List<float>();
        for (int i = 0; i < embeddings.Count; i++)
        {
            for (int j = i + 1; j < embeddings.Count; j++)
            {
                (IsMaths(i) == IsMaths(j) ? within : across).Add(Vectors.Dot(embeddings[i], embeddings[j]));
            }
        }

        Assert.True(within.Average() > across.Average() + 0.05f, $"within {within.Average():F3}, across {across.Average():F3}");

        // Leave one out: the prompt goes to the group whose centroid (of the other prompts) is nearer.
        int correct = 0;
        for (int i = 0; i < embeddings.Count; i++)
        {
            var mathsCentroid = new float[384];
            var cookingCentroid = new float[384];
            for (int j = 0; j < embeddings.Count; j++)
            {
                if (j != i)
                {
                    var centroid = IsMaths(j) ? mathsCentroid : cookingCentroid;
                    System.Numerics.Tensors.TensorPrimitives.Add(centroid, embeddings[j], centroid);
                }
            }

            bool nearerMaths = Vectors.Cosine(embeddings[i], mathsCentroid) > Vectors.Cosine(embeddings[i], cookingCentroid);
            correct += nearerMaths == IsMaths(i) ? 1 : 0;
        }

        Assert.True(correct >= 10, $"{correct} of {embeddings.Count} nearest to their own group");
    }

    [Fact]
    public void Text_beyond_256_tokens_is_ignored()
    {
        string head = string.Join(' ', Enumerable.Range(0, 300).Select(i => $"token{i % 10}"));
        Assert.True(_embedder.Tokenizer.CountTokens(head) > 256);

        var a = _embedder.Embed(head + " The ending about cooking pasta.");
        var b = _embedder.Embed(head + " A completely different ending about tax law and quantum physics.");
        Assert.Equal(a, b);

        // The cut is at 256 tokens: the first 256 are embedded, so a difference inside them shows.
        var c = _embedder.Embed("Different start. " + head);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Shorter_max_tokens_truncates_earlier()
    {
        using var short16 = new MiniLmEmbedder(new MiniLmEmbedderOptions { MaxTokens = 16 });
        const string text = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen";
        Assert.True(short16.Tokenizer.CountTokens(text) > 14);
        var cut = short16.Embed(text);
        var manual = _embedder.Embed("one two three four five six seven eight nine ten eleven twelve thirteen fourteen");
        Assert.True(Vectors.MaxAbsDifference(cut, manual) < 1e-5f);
        Assert.True(Vectors.MaxAbsDifference(cut, _embedder.Embed(text)) > 1e-3f);
    }

    [Fact]
    public void Batch_equals_one_by_one()
    {
        string[] texts =
        [
            "short",
            "",
            "A considerably longer sentence about routing difficult prompts to a stronger and more expensive model.",
            "$x^2 + y = 10 <= 11 | ~a",
            string.Join(' ', Enumerable.Repeat("long text that will be truncated", 80)),
            "naïve café 北京 🍕",
            "short",
        ];
        var batch = _embedder.Embed(texts);
        Assert.Equal(texts.Length, batch.Count);
        for (int i = 0; i < texts.Length; i++)
        {
            var single = _embedder.Embed(texts[i]);
            Assert.True(Vectors.MaxAbsDifference(single, batch[i]) < 1e-5f, $"text {i}: {Vectors.MaxAbsDifference(single, batch[i])}");
        }

        Assert.NotSame(batch[0], batch[^1]);
        Assert.Empty(_embedder.Embed(Array.Empty<string>()));
    }

    [Fact]
    public void Batches_larger_than_max_batch_size_are_split()
    {
        using var small = new MiniLmEmbedder(new MiniLmEmbedderOptions { MaxBatchSize = 3 });
        string[] texts = [.. Enumerable.Range(0, 8).Select(i => $"Sentence number {i} about {(i % 2 == 0 ? "maths" : "soup")}.")];
        var batched = small.Embed(texts);
        for (int i = 0; i < texts.Length; i++)
        {
            Assert.True(Vectors.MaxAbsDifference(_embedder.Embed(texts[i]), batched[i]) < 1e-5f);
        }
    }

    [Fact]
    public void Concurrent_calls_give_the_sequential_results()
    {
        string[] texts = [.. Enumerable.Range(0, 12).Select(i => $"Concurrent prompt {i}: {new string('x', i)} what is {i} + {i * 2}?")];
        float[][] expected = [.. texts.Select(_embedder.Embed)];
        var actual = new float[texts.Length * 4][];
        Parallel.For(0, actual.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
            actual[i] = i % 3 == 0 ? _embedder.Embed([texts[i % texts.Length]])[0] : _embedder.Embed(texts[i % texts.Length]));
        for (int i = 0; i < actual.Length; i++)
        {
            Assert.True(Vectors.MaxAbsDifference(expected[i % texts.Length], actual[i]) < 1e-5f);
        }
    }

    [Fact]
    public void More_intra_op_threads_give_the_same_embedding()
    {
        using var two = new MiniLmEmbedder(new MiniLmEmbedderOptions { IntraOpThreads = 2 });
        Assert.Equal(2, two.IntraOpThreads);
        const string text = "Does the thread count change the result? It should not.";
        Assert.True(Vectors.MaxAbsDifference(_embedder.Embed(text), two.Embed(text)) < 1e-5f);
    }

    [Fact]
    public void Invalid_options_and_arguments_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MiniLmEmbedder(new MiniLmEmbedderOptions { MaxTokens = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MiniLmEmbedder(new MiniLmEmbedderOptions { MaxTokens = 513 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MiniLmEmbedder(new MiniLmEmbedderOptions { IntraOpThreads = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MiniLmEmbedder(new MiniLmEmbedderOptions { MaxBatchSize = 0 }));
        Assert.Throws<ArgumentNullException>(() => new MiniLmEmbedder(null!));
        Assert.Throws<ArgumentNullException>(() => _embedder.Embed((string)null!));
        Assert.Throws<ArgumentNullException>(() => _embedder.Embed((IReadOnlyList<string>)null!));
        Assert.Throws<ArgumentNullException>(() => _embedder.Embed(["a", null!]));
    }

    [Fact]
    public void Missing_model_files_name_the_path()
    {
        string directory = Path.Combine(Path.GetTempPath(), "switchyard-no-model-" + Guid.NewGuid().ToString("N"));
        var error = Assert.Throws<FileNotFoundException>(() => new MiniLmEmbedder(new MiniLmEmbedderOptions { ModelDirectory = directory }));
        Assert.Contains(directory, error.Message, StringComparison.Ordinal);
        Assert.Contains("ModelDirectory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_onnx_is_reported()
    {
        string directory = Directory.CreateTempSubdirectory("switchyard-bad-model-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(directory, "model.onnx"), "not a model");
            File.Copy(Path.Combine(MiniLmEmbedder.DefaultModelDirectory, "vocab.txt"), Path.Combine(directory, "vocab.txt"));
            var error = Assert.Throws<InvalidDataException>(() => new MiniLmEmbedder(new MiniLmEmbedderOptions { ModelDirectory = directory }));
            Assert.Contains("model.onnx", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Disposed_embedder_throws()
    {
        var embedder = new MiniLmEmbedder();
        embedder.Dispose();
        embedder.Dispose();
        Assert.Throws<ObjectDisposedException>(() => embedder.Embed("x"));
        Assert.Throws<ObjectDisposedException>(() => embedder.Embed(["x"]));
    }
}
