using SpeechStream.CodeMetrics.Metrics;

namespace SpeechStream.CodeMetrics.Reports;

/// <summary>Writes a <see cref="MetricsReport"/> as plain text for a person (and for a before/after note).</summary>
public sealed class TextReport(TextWriter output)
{
    /// <summary>Writes every section in order.</summary>
    public void Write(MetricsReport report)
    {
        output.WriteLine($"SpeechStream code metrics: {report.SourceFiles} C# files under src/ (bin, obj excluded)");
        Methods(report.Methods);
        Fields(report.Fields);
        Types(report.PublicTypes);
        Docs(report.Docs);
        MultiType(report.MultiTypeFiles);
        Mentions(report.ProviderMentions);
        Files(report.Files);
    }

    /// <summary>A section heading with a blank line before it.</summary>
    private void Heading(string title)
    {
        output.WriteLine();
        output.WriteLine(title);
    }

    /// <summary>Section 1.</summary>
    private void Methods(MethodSection section)
    {
        Heading($"1. Longest bodies (methods, constructors, accessors, local functions; {section.Measured} measured)");
        foreach (var m in section.Longest) output.WriteLine($"  {m.Lines,4}  {m.Name}  ({m.Location})");
        output.WriteLine($"  over {Limits.MethodLines} lines: {section.OverLimit}");
    }

    /// <summary>Section 2.</summary>
    private void Fields(FieldSection section)
    {
        Heading($"2. Types over {Limits.Fields} instance fields (fields = declared instance fields; " +
            "state = fields + settable/init auto-properties)");
        output.WriteLine($"  by fields: {section.FieldsOverLimit}; by state: {section.StateOverLimit}");
        foreach (var t in section.Types)
            output.WriteLine($"  fields {t.Fields,3}  state {t.State,3}  {t.Name}  ({t.Location})" +
                (t.PrimaryConstructorParameters > 0 ? $"  +{t.PrimaryConstructorParameters} primary-ctor params" : ""));
    }

    /// <summary>Section 3.</summary>
    private void Types(IReadOnlyList<PublicTypeCount> projects)
    {
        Heading("3. Declared types per project (public = visible outside the assembly; partial types once)");
        output.WriteLine($"  {"project",-26} {"public",6} {"internal",8} {"nested private",14} {"total",5}");
        foreach (var p in projects)
            output.WriteLine($"  {p.Project,-26} {p.Public,6} {p.Internal,8} {p.NestedPrivate,14} {p.Total,5}");
    }

    /// <summary>Section 4.</summary>
    private void Docs(DocSection section)
    {
        Heading("4. Undocumented public members (visible types and their public/protected members; no /// comment)");
        output.WriteLine($"  {"project",-26} {"visible",7} {"undocumented",12}");
        foreach (var p in section.Projects) output.WriteLine($"  {p.Project,-26} {p.Visible,7} {p.Undocumented,12}");
        output.WriteLine($"  total undocumented: {section.Undocumented}");
        output.WriteLine($"  on the provider contract ({string.Join(", ", MetricsRunner.ContractFiles.Select(Path.GetFileName))}): " +
            $"{section.ContractUndocumented}");
        foreach (var m in section.Contract) output.WriteLine($"    {m.Name}  ({m.Location})");
    }

    /// <summary>Section 5.</summary>
    private void MultiType(MultiTypeSection section)
    {
        Heading("5. Files holding several top-level types");
        output.WriteLine($"  {section.WithSeveral} of {section.Files} files " +
            $"({section.WithSeveralIncludingNested} when nested types count too)");
        foreach (var f in section.List)
            output.WriteLine($"  {f.TopLevel.Count,3}  {f.Path}: {string.Join(", ", f.TopLevel)}");
    }

    /// <summary>Section 6.</summary>
    private void Mentions(MentionSection section)
    {
        Heading("6. Provider names outside their folders (Voxist, IApp/iApp, Smallest, VoxNexus, Speechall)");
        output.WriteLine("  code = identifiers and string literals; comments = comments and doc comments");
        Totals("src/**", section.Source);
        foreach (var f in section.SourceFiles) output.WriteLine($"    {f.Code,4} {f.Comments,4}  {f.Path}");
        Totals("tests/SpeechStream.Tests", section.Tests);
        foreach (var f in section.TestFiles.OrderByDescending(f => f.Total).Take(Limits.Top))
            output.WriteLine($"    {f.Code,4} {f.Comments,4}  {f.Path}");
        if (section.TestFiles.Count > Limits.Top) output.WriteLine($"    ({section.TestFiles.Count - Limits.Top} more files: --json)");
        output.WriteLine($"  help and README (every mention): {section.Docs.Comments} in {section.Docs.Files} files");
        foreach (var f in section.DocFiles) output.WriteLine($"    {f.Comments,9}  {f.Path}");
    }

    /// <summary>One line of mention totals.</summary>
    private void Totals(string scope, MentionTotals totals) =>
        output.WriteLine($"  {scope}: code {totals.Code}, comments {totals.Comments}, in {totals.Files} files" +
            "  (per file: code comments path)");

    /// <summary>Section 7.</summary>
    private void Files(FileSection section)
    {
        Heading("7. Longest files (lines)");
        foreach (var f in section.Longest) output.WriteLine($"  {f.Lines,4}  {f.Path}");
        output.WriteLine($"  over {Limits.FileLines} lines: {section.OverLimit}");
    }
}
