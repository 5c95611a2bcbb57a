using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SpeechStream.CodeMetrics.Sources;

namespace SpeechStream.CodeMetrics.Metrics;

/// <summary>A publicly visible declaration with no <c>///</c> comment.</summary>
public sealed record UndocumentedMember(string Project, string Name, string Location);

/// <summary>A project's documented and undocumented publicly visible declarations.</summary>
public sealed record DocCount(string Project, int Visible, int Undocumented);

/// <summary>Finds the publicly visible declarations without a doc comment, as the compiler's CS1591 would: visible
/// types themselves, and their public or protected members (methods, constructors, properties, indexers, events,
/// fields one per variable, operators, enum members, nested types). Interface members are public by default;
/// explicit interface implementations are not visible. Any <c>///</c> or <c>/** */</c> comment counts as
/// documented, <c>&lt;inheritdoc/&gt;</c> included.</summary>
public sealed class DocCoverage
{
    private readonly List<DocCount> _counts = [];
    private readonly List<UndocumentedMember> _missing = [];

    /// <summary>Checks every project's files.</summary>
    public DocCoverage(IEnumerable<SourceFile> files)
    {
        foreach (var project in files.GroupBy(f => f.Project).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var index = new TypeIndex(project);
            // A partial type is one declaration, documented when any of its parts is.
            var visible = project.SelectMany(f => VisibleDeclarations(f, index))
                .GroupBy(d => d.Node is MemberDeclarationSyntax m && TypeIndex.IsType(m)
                    ? TypeIndex.QualifiedName(m) : d.Location + "|" + d.Name)
                .Select(g => (First: g.First(), Documented: g.Any(d => IsDocumented(d.Node))))
                .ToList();
            var missing = visible.Where(d => !d.Documented).Select(d => d.First).ToList();
            _counts.Add(new DocCount(project.Key, visible.Count, missing.Count));
            _missing.AddRange(missing.Select(d => new UndocumentedMember(project.Key, d.Name, d.Location)));
        }
    }

    /// <summary>Per project: visible declarations and how many lack docs.</summary>
    public IReadOnlyList<DocCount> Counts => _counts;

    /// <summary>Every undocumented visible declaration, in file order.</summary>
    public IReadOnlyList<UndocumentedMember> Missing => _missing;

    /// <summary>The visible declarations of one file, with their names and locations.</summary>
    private static IEnumerable<(SyntaxNode Node, string Name, string Location)> VisibleDeclarations(
        SourceFile file, TypeIndex index)
    {
        foreach (var member in file.Root.DescendantNodes().OfType<MemberDeclarationSyntax>())
        {
            if (TypeIndex.IsType(member))
            {
                if (index.IsVisible(member)) yield return (member, TypeIndex.DisplayName(member), Where(file, member));
                continue;
            }
            if (member.Parent is not BaseTypeDeclarationSyntax owner || !index.IsVisible(owner)) continue;
            if (!AccessRules.IsOutward(AccessRules.Effective(member)) || IsExplicitImplementation(member)) continue;
            var prefix = TypeIndex.DisplayName(owner) + ".";
            if (member is BaseFieldDeclarationSyntax field)
            {
                foreach (var variable in field.Declaration.Variables)
                    yield return (member, prefix + variable.Identifier.Text, Where(file, member));
            }
            else if (Name(member) is { } name)
                yield return (member, prefix + name, Where(file, member));
        }
    }

    /// <summary>The member's own name; null for declarations that carry no docs (such as a static constructor,
    /// whose <c>static</c> leaves it private).</summary>
    private static string? Name(MemberDeclarationSyntax member) => member switch
    {
        MethodDeclarationSyntax m => m.Identifier.Text + "()",
        ConstructorDeclarationSyntax c when !c.Modifiers.Any(SyntaxKind.StaticKeyword) => ".ctor",
        PropertyDeclarationSyntax p => p.Identifier.Text,
        IndexerDeclarationSyntax => "this[]",
        EventDeclarationSyntax e => e.Identifier.Text,
        OperatorDeclarationSyntax o => "operator " + o.OperatorToken.Text,
        ConversionOperatorDeclarationSyntax c => "operator " + c.Type,
        EnumMemberDeclarationSyntax e => e.Identifier.Text,
        _ => null,
    };

    /// <summary>True for <c>void IFoo.Bar()</c> and the like.</summary>
    private static bool IsExplicitImplementation(MemberDeclarationSyntax member) => member switch
    {
        MethodDeclarationSyntax m => m.ExplicitInterfaceSpecifier is not null,
        BasePropertyDeclarationSyntax p => p.ExplicitInterfaceSpecifier is not null,
        _ => false,
    };

    /// <summary>True when a doc comment precedes the declaration.</summary>
    private static bool IsDocumented(SyntaxNode node) =>
        node.GetLeadingTrivia().Any(t =>
            t.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia) ||
            t.IsKind(SyntaxKind.MultiLineDocumentationCommentTrivia));

    /// <summary><c>path:line</c> of a declaration's first token (its attributes included).</summary>
    private static string Where(SourceFile file, SyntaxNode node) =>
        $"{file.Path}:{file.LineOf(node.SpanStart)}";
}
