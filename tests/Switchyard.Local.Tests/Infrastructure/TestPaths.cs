namespace Switchyard.Local.Tests.Infrastructure;

/// <summary>Paths into the repository (found by walking up to Switchyard.slnx) and a per-test scratch folder.</summary>
internal static class TestPaths
{
    private static readonly Lazy<string> Root = new(() =>
    {
        string? recorded = typeof(TestPaths).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "RepoRoot")?.Value;
        if (recorded is not null && File.Exists(Path.Combine(recorded, "Switchyard.slnx")))
        {
            return Path.TrimEndingDirectorySeparator(recorded);
        }

        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Switchyard.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Switchyard.slnx not found above {AppContext.BaseDirectory}.");
    });

    public static string RepoRoot => Root.Value;

    public static string Stories260K => Path.Combine(RepoRoot, "models", "stories260K.gguf");

    /// <summary>A fresh empty directory under the system temp folder.</summary>
    public static string NewTempDirectory(string prefix)
    {
        string dir = Path.Combine(Path.GetTempPath(), "switchyard-tests", $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }
}
