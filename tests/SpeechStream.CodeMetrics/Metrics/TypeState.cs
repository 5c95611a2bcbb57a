using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SpeechStream.CodeMetrics.Sources;

namespace SpeechStream.CodeMetrics.Metrics;

/// <summary>The instance state a class, record or struct declares (all partial parts added up).</summary>
/// <param name="Name">The type's display name (containers dotted, no namespace).</param>
/// <param name="Location">Where its first part is declared.</param>
/// <param name="Fields">Declared instance fields (not static, not const), one per variable.</param>
/// <param name="AutoProperties">Instance auto-properties with a <c>set</c> or <c>init</c> accessor, plus the
/// parameters of a positional record (each is an init auto-property) and properties whose accessors use the
/// <c>field</c> keyword.</param>
/// <param name="PrimaryConstructorParameters">Parameters of a class or struct primary constructor: captured state
/// when a member uses them; reported apart, counted in neither number.</param>
public sealed record TypeState(string Name, string Location, int Fields, int AutoProperties,
    int PrimaryConstructorParameters)
{
    /// <summary>Fields plus auto-properties: the state the type holds.</summary>
    public int State => Fields + AutoProperties;
}

/// <summary>Counts the instance state of every class, record and struct, to find the ones holding too much.</summary>
public static class TypeStates
{
    /// <summary>Every class, record and struct in the files, most state first.</summary>
    public static IReadOnlyList<TypeState> Measure(IEnumerable<SourceFile> files)
    {
        var byName = new Dictionary<string, TypeState>(StringComparer.Ordinal);
        foreach (var file in files)
        foreach (var type in file.Root.DescendantNodes().OfType<TypeDeclarationSyntax>()
                     .Where(t => t is not InterfaceDeclarationSyntax))
        {
            var part = Count(type, file);
            var key = file.Project + ":" + TypeIndex.QualifiedName(type);
            byName[key] = byName.TryGetValue(key, out var known)
                ? known with
                {
                    Fields = known.Fields + part.Fields,
                    AutoProperties = known.AutoProperties + part.AutoProperties,
                    PrimaryConstructorParameters = known.PrimaryConstructorParameters + part.PrimaryConstructorParameters,
                }
                : part;
        }
        return byName.Values.OrderByDescending(t => t.State).ThenByDescending(t => t.Fields)
            .ThenBy(t => t.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>The state one part of a type declares itself (nested types are counted on their own).</summary>
    private static TypeState Count(TypeDeclarationSyntax type, SourceFile file)
    {
        var members = type.Members;
        var fields = members.OfType<FieldDeclarationSyntax>()
            .Where(f => !IsStatic(f.Modifiers) && !f.Modifiers.Any(SyntaxKind.ConstKeyword))
            .Sum(f => f.Declaration.Variables.Count);
        var properties = members.OfType<PropertyDeclarationSyntax>()
            .Count(p => !IsStatic(p.Modifiers) && !p.Modifiers.Any(SyntaxKind.AbstractKeyword) && HoldsState(p));
        var parameters = type.ParameterList?.Parameters.Count ?? 0;
        var isRecord = type is RecordDeclarationSyntax;
        var line = type.Identifier.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
        return new TypeState(TypeIndex.DisplayName(type), $"{file.Path}:{line}", fields,
            properties + (isRecord ? parameters : 0), isRecord ? 0 : parameters);
    }

    /// <summary>An auto-property with a setter or init accessor, or any property whose accessors use <c>field</c>.</summary>
    private static bool HoldsState(PropertyDeclarationSyntax property)
    {
        if (property.AccessorList is not { } accessors) return false; // expression-bodied: computed
        if (property.DescendantNodes().Any(n => n.IsKind(SyntaxKind.FieldExpression))) return true;
        var auto = accessors.Accessors.All(a => a.Body is null && a.ExpressionBody is null);
        return auto && accessors.Accessors.Any(a =>
            a.IsKind(SyntaxKind.SetAccessorDeclaration) || a.IsKind(SyntaxKind.InitAccessorDeclaration));
    }

    /// <summary>True for <c>static</c>.</summary>
    private static bool IsStatic(SyntaxTokenList modifiers) => modifiers.Any(SyntaxKind.StaticKeyword);
}
