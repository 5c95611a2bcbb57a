using Microsoft.CodeAnalysis.CSharp.Syntax;
using SpeechStream.CodeMetrics.Sources;

namespace SpeechStream.CodeMetrics.Metrics;

/// <summary>A file's length in lines (as <c>wc -l</c> counts them).</summary>
public sealed record FileLength(string Path, int Lines);

/// <summary>A file's top-level types (declared in a namespace or at the top, not nested), and all its types.</summary>
public sealed record FileTypes(string Path, IReadOnlyList<string> TopLevel, int WithNested);

/// <summary>Measures whole files: their length and how many types each holds.</summary>
public static class FileShapes
{
    /// <summary>Every file, longest first (ties by path).</summary>
    public static IReadOnlyList<FileLength> Lengths(IEnumerable<SourceFile> files) =>
        files.Select(f => new FileLength(f.Path, f.LineCount))
            .OrderByDescending(f => f.Lines).ThenBy(f => f.Path, StringComparer.Ordinal).ToList();

    /// <summary>Every file's types (classes, records, structs, interfaces, enums, delegates), in path order.</summary>
    public static IReadOnlyList<FileTypes> Types(IEnumerable<SourceFile> files) =>
        files.Select(f =>
        {
            var all = f.Root.DescendantNodes().OfType<MemberDeclarationSyntax>().Where(TypeIndex.IsType).ToList();
            var topLevel = all.Where(t => t.Parent is not BaseTypeDeclarationSyntax)
                .Select(TypeIndex.SimpleName).ToList();
            return new FileTypes(f.Path, topLevel, all.Count);
        }).ToList();
}
