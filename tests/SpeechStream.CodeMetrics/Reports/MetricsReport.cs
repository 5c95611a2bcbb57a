using SpeechStream.CodeMetrics.Metrics;

namespace SpeechStream.CodeMetrics.Reports;

/// <summary>The thresholds the report counts against (tests/SpeechStream.CodeMetrics/README.md).</summary>
public static class Limits
{
    /// <summary>How many of the longest methods and files are listed.</summary>
    public const int Top = 10;
    /// <summary>A body longer than this many lines is counted as long.</summary>
    public const int MethodLines = 60;
    /// <summary>A type with more instance fields (or state) than this is listed.</summary>
    public const int Fields = 12;
    /// <summary>A file longer than this many lines is counted as long.</summary>
    public const int FileLines = 300;
}

/// <summary>Everything the tool measured, as the text and JSON writers print it.</summary>
public sealed record MetricsReport(
    string Root,
    int SourceFiles,
    MethodSection Methods,
    FieldSection Fields,
    IReadOnlyList<PublicTypeCount> PublicTypes,
    DocSection Docs,
    MultiTypeSection MultiTypeFiles,
    MentionSection ProviderMentions,
    FileSection Files);

/// <summary>1. The longest bodies, and how many bodies are over <see cref="Limits.MethodLines"/>.</summary>
public sealed record MethodSection(int Measured, int OverLimit, IReadOnlyList<MethodLength> Longest);

/// <summary>2. Types whose instance fields, or fields plus settable auto-properties, exceed <see cref="Limits.Fields"/>.</summary>
public sealed record FieldSection(int FieldsOverLimit, int StateOverLimit, IReadOnlyList<TypeState> Types);

/// <summary>4. Undocumented visible declarations: per project, in total, and on the provider contract.</summary>
public sealed record DocSection(
    IReadOnlyList<DocCount> Projects,
    int Undocumented,
    int ContractUndocumented,
    IReadOnlyList<UndocumentedMember> Contract,
    IReadOnlyList<UndocumentedMember> All);

/// <summary>5. Files holding several top-level types, and how many hold several types counting nested ones.</summary>
public sealed record MultiTypeSection(int Files, int WithSeveral, int WithSeveralIncludingNested,
    IReadOnlyList<FileTypes> List);

/// <summary>6. Provider names outside their folders: in src (per file), in the tests, and in the help and README.</summary>
public sealed record MentionSection(
    MentionTotals Source, IReadOnlyList<ProviderMention> SourceFiles,
    MentionTotals Tests, IReadOnlyList<ProviderMention> TestFiles,
    MentionTotals Docs, IReadOnlyList<ProviderMention> DocFiles);

/// <summary>Mentions added up over some files.</summary>
public sealed record MentionTotals(int Files, int Code, int Comments)
{
    /// <summary>The totals of a list of files.</summary>
    public static MentionTotals Of(IReadOnlyList<ProviderMention> files) =>
        new(files.Count, files.Sum(f => f.Code), files.Sum(f => f.Comments));
}

/// <summary>7. The longest files and how many are over <see cref="Limits.FileLines"/>.</summary>
public sealed record FileSection(int OverLimit, IReadOnlyList<FileLength> Longest);
