using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace SpeechStream.CodeMetrics.Sources;

/// <summary>One parsed C# file: its path relative to the repository root (forward slashes), the project it belongs
/// to (the folder under <c>src/</c> or <c>tests/</c>), its syntax tree and its line count.</summary>
public sealed record SourceFile(string Path, string Project, SyntaxTree Tree, int LineCount)
{
    /// <summary>The parse options: the newest C# with doc comments parsed, so doc-comment trivia is structured.</summary>
    private static readonly CSharpParseOptions Options =
        new(LanguageVersion.Preview, DocumentationMode.Parse);

    /// <summary>The compilation unit, the root of <see cref="Tree"/>.</summary>
    public SyntaxNode Root => Tree.GetRoot();

    /// <summary>Reads and parses a file; <paramref name="relativePath"/> names it in the output.</summary>
    public static SourceFile Load(string fullPath, string relativePath)
    {
        var text = File.ReadAllText(fullPath);
        var tree = CSharpSyntaxTree.ParseText(text, Options, relativePath);
        return new SourceFile(relativePath, ProjectOf(relativePath), tree, CountLines(text));
    }

    /// <summary>The 1-based line of a position, as an editor shows it.</summary>
    public int LineOf(int position) => Tree.GetLineSpan(new Microsoft.CodeAnalysis.Text.TextSpan(position, 0))
        .StartLinePosition.Line + 1;

    /// <summary>Lines as <c>wc -l</c> counts them, plus a last line with no newline.</summary>
    public static int CountLines(string text)
    {
        var newlines = text.Count(c => c == '\n');
        return text.Length > 0 && text[^1] != '\n' ? newlines + 1 : newlines;
    }

    /// <summary>The project of a path such as <c>src/SpeechStream.Engine/…</c>: its second segment.</summary>
    private static string ProjectOf(string relativePath)
    {
        var parts = relativePath.Split('/');
        return parts.Length > 2 ? parts[1] : parts[0];
    }
}
