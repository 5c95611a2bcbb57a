using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SpeechStream.CodeMetrics.Sources;

/// <summary>The types of one project by qualified name, with the parts of partial types merged: a type is as
/// accessible as the one part that says so, and is publicly visible when it and every containing type are public or
/// protected (the rule of the compiler's missing-doc warning, CS1591).</summary>
public sealed class TypeIndex
{
    private readonly Dictionary<string, Access> _access = new(StringComparer.Ordinal);

    /// <summary>Every declared type of the files (classes, records, structs, interfaces, enums, delegates).</summary>
    public TypeIndex(IEnumerable<SourceFile> files)
    {
        foreach (var type in files.SelectMany(f => f.Root.DescendantNodes().OfType<MemberDeclarationSyntax>())
                     .Where(IsType))
        {
            var name = QualifiedName(type);
            var access = AccessRules.Effective(type);
            // A part with a modifier decides; the default stands only while no part declares one.
            if (AccessRules.Declared(type.Modifiers) != Access.Default) _access[name] = access;
            else _access.TryAdd(name, access);
        }
    }

    /// <summary>The qualified names of all types, each once.</summary>
    public IEnumerable<string> Names => _access.Keys;

    /// <summary>True for a type declaration (a delegate counts as a type).</summary>
    public static bool IsType(MemberDeclarationSyntax node) =>
        node is BaseTypeDeclarationSyntax or DelegateDeclarationSyntax;

    /// <summary>True when the named type and all its containers are public or protected.</summary>
    public bool IsVisible(string qualifiedName)
    {
        if (!_access.TryGetValue(qualifiedName, out var access) || !AccessRules.IsOutward(access)) return false;
        var container = ContainerOf(qualifiedName);
        return container is null || IsVisible(container);
    }

    /// <summary>True when the whole assembly can reach the named type: it and every container are public, protected
    /// internal or internal (a private or protected nested type, or one inside such a type, cannot be reached).</summary>
    public bool ReachesAssembly(string qualifiedName)
    {
        if (!_access.TryGetValue(qualifiedName, out var access) || access is Access.Private or Access.Protected) return false;
        var container = ContainerOf(qualifiedName);
        return container is null || ReachesAssembly(container);
    }

    /// <summary>True when the type declaration (any part of it) is publicly visible.</summary>
    public bool IsVisible(MemberDeclarationSyntax type) => IsVisible(QualifiedName(type));

    /// <summary>The name of a type or member's containing type, if it is nested (<c>Outer+Inner</c>).</summary>
    private static string? ContainerOf(string qualifiedName)
    {
        var plus = qualifiedName.LastIndexOf('+');
        return plus < 0 ? null : qualifiedName[..plus];
    }

    /// <summary><c>Namespace.Outer+Inner`1</c>: namespace, containing types joined by <c>+</c>, and the generic
    /// arity, so the parts of a partial type share one name.</summary>
    public static string QualifiedName(MemberDeclarationSyntax type)
    {
        var own = SimpleName(type);
        var names = new List<string> { own };
        string? ns = null;
        for (var node = type.Parent; node is not null; node = node.Parent)
        {
            if (node is BaseTypeDeclarationSyntax outer) names.Insert(0, SimpleName(outer) + "+");
            else if (node is BaseNamespaceDeclarationSyntax space) ns = space.Name + (ns is null ? "" : "." + ns);
        }
        return (ns is null ? "" : ns + ".") + string.Concat(names);
    }

    /// <summary>A type's name with its generic arity (<c>Name`2</c>).</summary>
    public static string SimpleName(MemberDeclarationSyntax type)
    {
        var (name, arity) = type switch
        {
            TypeDeclarationSyntax t => (t.Identifier.Text, t.TypeParameterList?.Parameters.Count ?? 0),
            DelegateDeclarationSyntax d => (d.Identifier.Text, d.TypeParameterList?.Parameters.Count ?? 0),
            BaseTypeDeclarationSyntax b => (b.Identifier.Text, 0),
            _ => ("?", 0),
        };
        return arity == 0 ? name : $"{name}`{arity}";
    }

    /// <summary>A type's display name: containing types and the type, dotted, without the namespace.</summary>
    public static string DisplayName(MemberDeclarationSyntax type)
    {
        var parts = new List<string> { SimpleName(type) };
        for (var node = type.Parent; node is BaseTypeDeclarationSyntax outer; node = outer.Parent)
            parts.Insert(0, SimpleName(outer));
        return string.Join('.', parts);
    }
}
