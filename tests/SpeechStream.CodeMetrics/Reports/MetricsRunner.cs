using SpeechStream.CodeMetrics.Metrics;
using SpeechStream.CodeMetrics.Sources;

namespace SpeechStream.CodeMetrics.Reports;

/// <summary>Loads the repository's sources and runs every metric on them into one <see cref="MetricsReport"/>.</summary>
public static class MetricsRunner
{
    /// <summary>The files of the provider contract, whose undocumented members are counted apart: the types that were
    /// in ProviderProtocol.cs and ProviderDescriptor.cs, one per file since, and the enums that replaced strings there.</summary>
    public static readonly IReadOnlyList<string> ContractFiles =
    [
        "src/SpeechStream.Engine/Providers/ProviderProtocol.cs",
        "src/SpeechStream.Engine/Providers/ProviderDescriptor.cs",
        "src/SpeechStream.Engine/Providers/ConnectRequest.cs",
        "src/SpeechStream.Engine/Providers/OutgoingFrame.cs",
        "src/SpeechStream.Engine/Providers/ProviderResult.cs",
        "src/SpeechStream.Engine/Providers/ParsedMessage.cs",
        "src/SpeechStream.Engine/Providers/ParserContext.cs",
        "src/SpeechStream.Engine/Providers/IMessageParser.cs",
        "src/SpeechStream.Engine/Providers/JsonObjectParser.cs",
        "src/SpeechStream.Engine/Providers/CompletionMode.cs",
        "src/SpeechStream.Engine/Providers/ConnectContext.cs",
        "src/SpeechStream.Engine/Providers/ProviderEndpoint.cs",
        "src/SpeechStream.Engine/Providers/ProviderOption.cs",
        "src/SpeechStream.Engine/Providers/ProviderCapabilities.cs",
        "src/SpeechStream.Engine/Providers/CommonParameters.cs",
        "src/SpeechStream.Engine/Providers/OptionKind.cs",
        "src/SpeechStream.Engine/Providers/WireTimeUnit.cs",
    ];

    /// <summary>Measures the repository at <paramref name="root"/>.</summary>
    public static MetricsReport Run(string root)
    {
        var source = SourceCatalog.Load(root, "src");
        var tests = SourceCatalog.Load(root, "tests/SpeechStream.Tests");
        return new MetricsReport(Path.GetFullPath(root), source.Count,
            Methods(source), Fields(source), PublicTypes.Measure(source), Docs(source), MultiType(source),
            Mentions(root, source, tests), Files(source));
    }

    /// <summary>1. Every body measured; the longest kept.</summary>
    private static MethodSection Methods(IReadOnlyList<SourceFile> files)
    {
        var all = MethodLengths.Measure(files);
        return new MethodSection(all.Count, all.Count(m => m.Lines > Limits.MethodLines), all.Take(Limits.Top).ToList());
    }

    /// <summary>2. The types over the field limit by either count.</summary>
    private static FieldSection Fields(IReadOnlyList<SourceFile> files)
    {
        var all = TypeStates.Measure(files);
        return new FieldSection(all.Count(t => t.Fields > Limits.Fields), all.Count(t => t.State > Limits.Fields),
            all.Where(t => t.Fields > Limits.Fields || t.State > Limits.Fields).ToList());
    }

    /// <summary>4. Undocumented visible declarations, and those in the contract files.</summary>
    private static DocSection Docs(IReadOnlyList<SourceFile> files)
    {
        var coverage = new DocCoverage(files);
        var contract = coverage.Missing
            .Where(m => ContractFiles.Any(f => m.Location.StartsWith(f + ":", StringComparison.Ordinal))).ToList();
        return new DocSection(coverage.Counts, coverage.Missing.Count, contract.Count, contract, coverage.Missing);
    }

    /// <summary>5. Files with more than one top-level type.</summary>
    private static MultiTypeSection MultiType(IReadOnlyList<SourceFile> files)
    {
        var all = FileShapes.Types(files);
        var several = all.Where(f => f.TopLevel.Count > 1).ToList();
        return new MultiTypeSection(all.Count, several.Count, all.Count(f => f.WithNested > 1), several);
    }

    /// <summary>6. Provider names away from home in src, in the tests, and in README.md and the about_ help.</summary>
    private static MentionSection Mentions(string root, IReadOnlyList<SourceFile> source,
        IReadOnlyList<SourceFile> tests)
    {
        var docs = new[] { "README.md" }
            .Concat(SourceCatalog.FindFiles(root, "module/en-US", "*.txt").Select(p => SourceCatalog.Relative(root, p)))
            .Where(p => File.Exists(Path.Combine(root, p)));
        var inSource = ProviderMentions.InCode(source);
        var inTests = ProviderMentions.InCode(tests);
        var inDocs = ProviderMentions.InText(root, docs);
        return new MentionSection(MentionTotals.Of(inSource), inSource, MentionTotals.Of(inTests), inTests,
            MentionTotals.Of(inDocs), inDocs);
    }

    /// <summary>7. The longest files.</summary>
    private static FileSection Files(IReadOnlyList<SourceFile> files)
    {
        var all = FileShapes.Lengths(files);
        return new FileSection(all.Count(f => f.Lines > Limits.FileLines), all.Take(Limits.Top).ToList());
    }
}
