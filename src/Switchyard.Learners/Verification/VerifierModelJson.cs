using System.Text.Json;

namespace Switchyard.Routing.Learners.Verification;

/// <summary>
/// Writes and reads learned cascade verifiers as JSON with System.Text.Json source generation:
/// <c>{"format": "switchyard.cascade-verifier/1", "weak": …, "strong": …, "margin": 0, "answer_features": [names],
/// "embedding_dimensions": 0, "l2": …, "embedding_weight": 1, "center": b64, "scale": b64, "weights": b64, "bias": …,
/// "calibration": {"p_good": […], "weak": […], "strong": […]}}</c>. Float arrays are base64 of little-endian float32
/// (<see cref="Base64FloatArrayConverter"/>). The calibration set holds the out-of-fold P(good) and both models' scores
/// of every training prompt (no prompt or answer text), so thresholds for any target can be calibrated after loading.
/// </summary>
/// <remarks>
/// Loading validates everything: a file that is not JSON, has another format tag, was written with other answer
/// features, or has arrays of the wrong length, non-finite values or calibration values outside [0, 1] throws
/// <see cref="FormatException"/> naming the problem.
/// </remarks>
public static class VerifierModelJson
{
    /// <summary>The format tag of every saved verifier.</summary>
    public const string FormatTag = "switchyard.cascade-verifier/1";

    /// <summary>The model as a JSON string.</summary>
    /// <param name="model">The model.</param>
    /// <returns>Compact JSON.</returns>
    public static string Serialize(VerifierModel model) =>
        JsonSerializer.Serialize(ToFile(model), VerificationJsonContext.Default.VerifierModelFile);

    /// <summary>Writes the model to <paramref name="stream"/>.</summary>
    /// <param name="stream">Where to write.</param>
    /// <param name="model">The model.</param>
    public static void Write(Stream stream, VerifierModel model)
    {
        ArgumentNullException.ThrowIfNull(stream);
        JsonSerializer.Serialize(stream, ToFile(model), VerificationJsonContext.Default.VerifierModelFile);
    }

    /// <summary>Reads a model from a JSON string.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The model.</returns>
    /// <exception cref="FormatException">The text is not a valid verifier.</exception>
    public static VerifierModel Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Check(() => JsonSerializer.Deserialize(json, VerificationJsonContext.Default.VerifierModelFile));
    }

    /// <summary>Reads a model from <paramref name="stream"/>.</summary>
    /// <param name="stream">The JSON bytes.</param>
    /// <returns>The model.</returns>
    /// <exception cref="FormatException">The stream does not hold a valid verifier.</exception>
    public static VerifierModel Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Check(() => JsonSerializer.Deserialize(stream, VerificationJsonContext.Default.VerifierModelFile));
    }

    /// <summary>Saves the model to a file (its folder is created).</summary>
    /// <param name="model">The model.</param>
    /// <param name="path">The file to write.</param>
    public static void Save(VerifierModel model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        using var stream = File.Create(path);
        Write(stream, model);
    }

    /// <summary>Loads a model from a file.</summary>
    /// <param name="path">The file to read.</param>
    /// <returns>The model.</returns>
    /// <exception cref="FormatException">The file cannot be read or is not a valid verifier; the message names the file.</exception>
    public static VerifierModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            using var stream = File.OpenRead(path);
            return Read(stream);
        }
        catch (IOException e)
        {
            throw new FormatException($"Verifier file '{path}' cannot be read: {e.Message}", e);
        }
        catch (FormatException e)
        {
            throw new FormatException($"Verifier file '{path}': {e.Message}", e);
        }
    }

    private static VerifierModelFile ToFile(VerifierModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new VerifierModelFile
        {
            Format = FormatTag,
            Weak = model.Weak,
            Strong = model.Strong,
            Margin = model.Margin,
            AnswerFeatures = [.. AnswerFeatures.Names],
            EmbeddingDimensions = model.EmbeddingDimensions,
            L2 = model.L2,
            EmbeddingWeight = model.EmbeddingWeight,
            Center = model.CenterArray,
            Scale = model.ScaleArray,
            Weights = model.WeightArray,
            Bias = model.Bias,
            Calibration = model.Calibration,
        };
    }

    private static VerifierModel Check(Func<VerifierModelFile?> read)
    {
        VerifierModelFile? file;
        try
        {
            file = read();
        }
        catch (JsonException e)
        {
            throw new FormatException($"not a valid cascade verifier: {e.Message}", e);
        }
        catch (NotSupportedException e)
        {
            throw new FormatException($"not a valid cascade verifier: {e.Message}", e);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"not a valid cascade verifier: {e.Message}", e);
        }

        if (file is null)
        {
            throw new FormatException("not a valid cascade verifier: the JSON is null.");
        }

        if (file.Format != FormatTag)
        {
            throw new FormatException($"format is '{file.Format}', expected '{FormatTag}'.");
        }

        if (string.IsNullOrEmpty(file.Weak) || string.IsNullOrEmpty(file.Strong))
        {
            throw new FormatException("'weak' and 'strong' must name the two models.");
        }

        if (!(file.Margin >= 0) || !double.IsFinite(file.Margin))
        {
            throw new FormatException($"'margin' must be a finite number ≥ 0, not {file.Margin}.");
        }

        if (file.AnswerFeatures is null || !file.AnswerFeatures.SequenceEqual(AnswerFeatures.Names, StringComparer.Ordinal))
        {
            throw new FormatException(
                $"'answer_features' must be exactly [{string.Join(", ", AnswerFeatures.Names)}] (the file was written with other answer features: "
                + $"[{string.Join(", ", file.AnswerFeatures ?? [])}]).");
        }

        if (file.EmbeddingDimensions < 0)
        {
            throw new FormatException($"'embedding_dimensions' must not be negative, not {file.EmbeddingDimensions}.");
        }

        if (!(file.L2 > 0) || !double.IsFinite(file.L2))
        {
            throw new FormatException($"'l2' must be a positive finite number, not {file.L2}.");
        }

        if (!(file.EmbeddingWeight is > 0 and <= 1))
        {
            throw new FormatException($"'embedding_weight' must be in (0, 1], not {file.EmbeddingWeight}.");
        }

        if (!double.IsFinite(file.Bias))
        {
            throw new FormatException($"'bias' must be a finite number, not {file.Bias}.");
        }

        var width = AnswerFeatures.Count + file.EmbeddingDimensions;
        var center = Column(file.Center, "center", width);
        var scale = Column(file.Scale, "scale", width);
        var weights = Column(file.Weights, "weights", width);
        if (scale.Any(v => !(v > 0)))
        {
            throw new FormatException("'scale' must hold positive factors only.");
        }

        var calibration = file.Calibration ?? throw new FormatException("'calibration' is missing.");
        if (calibration.PGood is null || calibration.Weak is null || calibration.Strong is null)
        {
            throw new FormatException("calibration: 'p_good', 'weak' and 'strong' are all required.");
        }

        calibration.Validate();
        return new VerifierModel(file.Weak, file.Strong, file.Margin, file.EmbeddingDimensions, file.L2, file.EmbeddingWeight, center, scale, weights, file.Bias, calibration);
    }

    private static float[] Column(float[]? values, string name, int width)
    {
        if (values is null)
        {
            throw new FormatException($"'{name}' is missing.");
        }

        if (values.Length != width)
        {
            throw new FormatException($"'{name}' holds {values.Length} values; the answer features and embedding need {width}.");
        }

        if (values.Any(v => !float.IsFinite(v)))
        {
            throw new FormatException($"'{name}' holds a value that is not a finite number.");
        }

        return values;
    }
}
