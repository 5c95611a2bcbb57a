using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SpeechStream.CodeMetrics.Sources;

namespace SpeechStream.CodeMetrics.Metrics;

/// <summary>One body: its owner's display name, where it is declared, and how many lines the body spans.</summary>
public sealed record MethodLength(string Name, string Location, int Lines);

/// <summary>The longest bodies of methods, constructors, operators, accessors, expression-bodied properties and local
/// functions. A body's length is the lines from its first token to its last: the braces of a block body, or
/// <c>=&gt;</c> to the end of an expression body. A local function also counts within its containing method.</summary>
public static class MethodLengths
{
    /// <summary>Every body in the files, longest first (ties by location).</summary>
    public static IReadOnlyList<MethodLength> Measure(IEnumerable<SourceFile> files) =>
        files.SelectMany(Bodies)
            .OrderByDescending(m => m.Lines)
            .ThenBy(m => m.Location, StringComparer.Ordinal)
            .ToList();

    /// <summary>The bodies declared in one file.</summary>
    private static IEnumerable<MethodLength> Bodies(SourceFile file)
    {
        foreach (var node in file.Root.DescendantNodes())
        {
            var (body, name, at) = node switch
            {
                BaseMethodDeclarationSyntax m => ((SyntaxNode?)m.Body ?? m.ExpressionBody, MemberName(m), m.ParameterList.GetLocation()),
                AccessorDeclarationSyntax a => ((SyntaxNode?)a.Body ?? a.ExpressionBody, AccessorName(a), a.Keyword.GetLocation()),
                LocalFunctionStatementSyntax f => ((SyntaxNode?)f.Body ?? f.ExpressionBody, LocalName(f), f.Identifier.GetLocation()),
                PropertyDeclarationSyntax p => (p.ExpressionBody, $"{Owner(p)}.{p.Identifier.Text}", p.Identifier.GetLocation()),
                IndexerDeclarationSyntax i => (i.ExpressionBody, $"{Owner(i)}.this[]", i.ThisKeyword.GetLocation()),
                _ => ((SyntaxNode?)null, "", Location.None),
            };
            if (body is null) continue;
            var span = body.GetLocation().GetLineSpan();
            var lines = span.EndLinePosition.Line - span.StartLinePosition.Line + 1;
            yield return new MethodLength(name, $"{file.Path}:{at.GetLineSpan().StartLinePosition.Line + 1}", lines);
        }
    }

    /// <summary><c>Type.Method</c>, <c>Type..ctor</c>, <c>Type.operator +</c> and the like.</summary>
    private static string MemberName(BaseMethodDeclarationSyntax member) => $"{Owner(member)}." + member switch
    {
        MethodDeclarationSyntax m => m.Identifier.Text,
        ConstructorDeclarationSyntax c => c.Modifiers.Any(t => t.Text == "static") ? ".cctor" : ".ctor",
        DestructorDeclarationSyntax => "Finalize",
        OperatorDeclarationSyntax o => "operator " + o.OperatorToken.Text,
        ConversionOperatorDeclarationSyntax c => "operator " + c.Type,
        _ => "?",
    };

    /// <summary><c>Type.Property.get</c>, <c>Type.this[].set</c>, <c>Type.Event.add</c>.</summary>
    private static string AccessorName(AccessorDeclarationSyntax accessor)
    {
        var owner = accessor.Parent?.Parent;
        var member = owner switch
        {
            PropertyDeclarationSyntax p => p.Identifier.Text,
            EventDeclarationSyntax e => e.Identifier.Text,
            IndexerDeclarationSyntax => "this[]",
            _ => "?",
        };
        return $"{(owner is null ? "?" : Owner(owner))}.{member}.{accessor.Keyword.Text}";
    }

    /// <summary><c>Type.Method.Local</c>: a local function under the member (or local function) that holds it.</summary>
    private static string LocalName(LocalFunctionStatementSyntax function)
    {
        var holder = function.Ancestors().FirstOrDefault(n =>
            n is LocalFunctionStatementSyntax or BaseMethodDeclarationSyntax or AccessorDeclarationSyntax
                or BasePropertyDeclarationSyntax);
        var prefix = holder switch
        {
            LocalFunctionStatementSyntax f => LocalName(f),
            BaseMethodDeclarationSyntax m => MemberName(m),
            AccessorDeclarationSyntax a => AccessorName(a),
            PropertyDeclarationSyntax p => $"{Owner(p)}.{p.Identifier.Text}",
            _ => Owner(function),
        };
        return $"{prefix}.{function.Identifier.Text}";
    }

    /// <summary>The display name of the type that declares a node, or the file's top level.</summary>
    private static string Owner(SyntaxNode node) =>
        node.Ancestors().OfType<BaseTypeDeclarationSyntax>().FirstOrDefault() is { } type
            ? TypeIndex.DisplayName(type)
            : "<top-level>";
}
