using SpeechStream.CodeMetrics.Reports;

namespace SpeechStream.CodeMetrics;

/// <summary>The command line: <c>[repo-root] [--json]</c>. Without a root, the nearest folder up from the current
/// one that holds SpeechStream.sln.</summary>
public static class Program
{
    /// <summary>Measures the repository and prints the report; 2 on bad arguments.</summary>
    public static int Main(string[] args)
    {
        var json = args.Contains("--json");
        var rest = args.Where(a => a != "--json").ToList();
        if (rest.Count > 1 || rest.Any(a => a.StartsWith('-')))
        {
            Console.Error.WriteLine("usage: SpeechStream.CodeMetrics [repo-root] [--json]");
            return 2;
        }
        var root = rest.Count == 1 ? rest[0] : FindRoot(Directory.GetCurrentDirectory());
        if (root is null || !Directory.Exists(Path.Combine(root, "src")))
        {
            Console.Error.WriteLine($"no src/ folder under {root ?? "any folder holding SpeechStream.sln"}");
            return 2;
        }
        var report = MetricsRunner.Run(root);
        if (json) JsonReport.Write(report, Console.Out);
        else new TextReport(Console.Out).Write(report);
        return 0;
    }

    /// <summary>The nearest folder from <paramref name="start"/> upward that holds SpeechStream.sln.</summary>
    private static string? FindRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SpeechStream.sln"))) return dir.FullName;
        return null;
    }
}
