using System.Text.Json;

namespace Switchyard.Routing.Learners;

/// <summary>
/// Writes and reads fitted learners as JSON (<c>{"format": "switchyard.score-learner/1", "learner": {"kind": "knn", …}}</c>),
/// with System.Text.Json source generation. Float arrays (embeddings, centroids, weights) are base64 of little-endian
/// float32. A file that is not JSON, has another format tag or an inconsistent learner throws <see cref="FormatException"/>.
/// </summary>
public static class FittedLearnerJson
{
    /// <summary>The format tag of every saved learner.</summary>
    public const string FormatTag = "switchyard.score-learner/1";

    /// <summary>The learner as a JSON string.</summary>
    public static string Serialize(FittedLearner learner)
    {
        ArgumentNullException.ThrowIfNull(learner);
        return JsonSerializer.Serialize(new FittedLearnerFile { Format = FormatTag, Learner = learner }, LearnersJsonContext.Default.FittedLearnerFile);
    }

    /// <summary>Writes the learner to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, FittedLearner learner)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(learner);
        JsonSerializer.Serialize(stream, new FittedLearnerFile { Format = FormatTag, Learner = learner }, LearnersJsonContext.Default.FittedLearnerFile);
    }

    /// <summary>Reads a learner from a JSON string.</summary>
    public static FittedLearner Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Check(() => JsonSerializer.Deserialize(json, LearnersJsonContext.Default.FittedLearnerFile));
    }

    /// <summary>Reads a learner from <paramref name="stream"/>.</summary>
    public static FittedLearner Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Check(() => JsonSerializer.Deserialize(stream, LearnersJsonContext.Default.FittedLearnerFile));
    }

    /// <summary>Saves the learner to a file (its folder is created).</summary>
    public static void Save(FittedLearner learner, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        using var stream = File.Create(path);
        Write(stream, learner);
    }

    /// <summary>Loads a learner from a file; problems throw <see cref="FormatException"/> naming the file.</summary>
    public static FittedLearner Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            using var stream = File.OpenRead(path);
            return Read(stream);
        }
        catch (IOException e)
        {
            throw new FormatException($"Learner file '{path}' cannot be read: {e.Message}", e);
        }
        catch (FormatException e)
        {
            throw new FormatException($"Learner file '{path}': {e.Message}", e);
        }
    }

    private static FittedLearner Check(Func<FittedLearnerFile?> read)
    {
        FittedLearnerFile? file;
        try
        {
            file = read();
        }
        catch (JsonException e)
        {
            throw new FormatException($"not a valid learner: {e.Message}", e);
        }
        catch (NotSupportedException e)
        {
            throw new FormatException($"not a valid learner: {e.Message}", e);
        }
        catch (ArgumentException e)
        {
            // A constructor refused what the file holds (e.g. no targets).
            throw new FormatException($"not a valid learner: {e.Message}", e);
        }

        if (file?.Format != FormatTag)
        {
            throw new FormatException($"format is '{file?.Format}', expected '{FormatTag}'.");
        }

        var learner = file.Learner ?? throw new FormatException("'learner' is missing.");
        learner.Validate();
        return learner;
    }
}
