namespace SpeechStream.CodeMetrics.Sources;

/// <summary>Finds and parses the C# files of a folder of the repository, skipping build output (bin, obj).</summary>
public static class SourceCatalog
{
    /// <summary>Every <c>*.cs</c> file under <paramref name="folder"/> (relative to <paramref name="root"/>), parsed,
    /// in ordinal path order; none when the folder does not exist.</summary>
    public static IReadOnlyList<SourceFile> Load(string root, string folder) =>
        FindFiles(root, folder, "*.cs").Select(path => SourceFile.Load(path, Relative(root, path))).ToList();

    /// <summary>Files matching <paramref name="pattern"/> under a folder, outside bin/ and obj/, in path order.</summary>
    public static IEnumerable<string> FindFiles(string root, string folder, string pattern)
    {
        var start = Path.Combine(root, folder);
        if (!Directory.Exists(start)) return [];
        return Directory.EnumerateFiles(start, pattern, SearchOption.AllDirectories)
            .Where(path => !IsBuildOutput(Relative(root, path)))
            .OrderBy(path => Relative(root, path), StringComparer.Ordinal);
    }

    /// <summary>A path relative to the root with forward slashes, as the report prints it.</summary>
    public static string Relative(string root, string path) =>
        Path.GetRelativePath(root, path).Replace('\\', '/');

    /// <summary>True for a path with a <c>bin</c> or <c>obj</c> folder in it.</summary>
    private static bool IsBuildOutput(string relativePath) =>
        relativePath.Split('/').Any(segment => segment is "bin" or "obj");
}
