using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SpeechStream.CodeMetrics.Sources;

namespace SpeechStream.CodeMetrics.Metrics;

/// <summary>How often one file names a provider outside that provider's own folder and emulator file.</summary>
/// <param name="Path">The file.</param>
/// <param name="Code">In identifiers and string literals (interpolated and raw strings included).</param>
/// <param name="Comments">In comments and doc comments; for a text file (README, help), every mention.</param>
public sealed record ProviderMention(string Path, int Code, int Comments)
{
    /// <summary>Both kinds.</summary>
    public int Total => Code + Comments;
}

/// <summary>Finds the places that name a provider outside its folders: what a sixth provider would have to touch.</summary>
public static class ProviderMentions
{
    /// <summary>The C# files that name a provider away from its home, in path order.</summary>
    public static IReadOnlyList<ProviderMention> InCode(IEnumerable<SourceFile> files) =>
        files.Select(Count).Where(m => m.Total > 0).ToList();

    /// <summary>Text files (README, help) that name a provider: every mention counts under comments.</summary>
    public static IReadOnlyList<ProviderMention> InText(string root, IEnumerable<string> relativePaths) =>
        relativePaths.Select(path => new ProviderMention(path, 0,
                Away(path, ProviderNames.Find(File.ReadAllText(Path.Combine(root, path))))))
            .Where(m => m.Total > 0).ToList();

    /// <summary>One file's mentions, split into code tokens and comment trivia.</summary>
    private static ProviderMention Count(SourceFile file)
    {
        int code = 0, comments = 0;
        foreach (var token in file.Root.DescendantTokens(descendIntoTrivia: false))
        {
            if (IsNamingToken(token)) code += Away(file.Path, ProviderNames.Find(token.Text));
            foreach (var trivia in token.LeadingTrivia.Concat(token.TrailingTrivia).Where(IsComment))
                comments += Away(file.Path, ProviderNames.Find(trivia.ToFullString()));
        }
        return new ProviderMention(file.Path, code, comments);
    }

    /// <summary>How many of the names found are not at home in <paramref name="path"/>.</summary>
    private static int Away(string path, IEnumerable<string> names) =>
        names.Count(name => !ProviderNames.IsHome(name, path));

    /// <summary>Identifiers and the text of string literals.</summary>
    private static bool IsNamingToken(SyntaxToken token) => token.Kind() is
        SyntaxKind.IdentifierToken or SyntaxKind.StringLiteralToken or SyntaxKind.Utf8StringLiteralToken or
        SyntaxKind.InterpolatedStringTextToken or SyntaxKind.SingleLineRawStringLiteralToken or
        SyntaxKind.MultiLineRawStringLiteralToken or SyntaxKind.Utf8SingleLineRawStringLiteralToken or
        SyntaxKind.Utf8MultiLineRawStringLiteralToken or SyntaxKind.CharacterLiteralToken;

    /// <summary>Line, block and doc comments.</summary>
    private static bool IsComment(SyntaxTrivia trivia) => trivia.Kind() is
        SyntaxKind.SingleLineCommentTrivia or SyntaxKind.MultiLineCommentTrivia or
        SyntaxKind.SingleLineDocumentationCommentTrivia or SyntaxKind.MultiLineDocumentationCommentTrivia;
}
