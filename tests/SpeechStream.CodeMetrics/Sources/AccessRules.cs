using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SpeechStream.CodeMetrics.Sources;

/// <summary>Accessibility rules of C#, applied to syntax: the declared modifier, then the default where there is
/// none (top-level types internal, members of classes and structs private, members of interfaces and enums
/// public).</summary>
public static class AccessRules
{
    /// <summary>The accessibility a modifier list declares, or <see cref="Access.Default"/>.</summary>
    public static Access Declared(SyntaxTokenList modifiers)
    {
        bool Has(SyntaxKind kind) => modifiers.Any(kind);
        if (Has(SyntaxKind.PublicKeyword)) return Access.Public;
        if (Has(SyntaxKind.PrivateKeyword)) return Access.Private; // private, private protected
        if (Has(SyntaxKind.ProtectedKeyword)) return Access.Protected; // protected, protected internal
        if (Has(SyntaxKind.InternalKeyword)) return Access.Internal;
        return Access.Default;
    }

    /// <summary>The accessibility of a member or nested type within its own container, defaults applied.</summary>
    public static Access Effective(MemberDeclarationSyntax member)
    {
        if (member is EnumMemberDeclarationSyntax) return Access.Public;
        var declared = Declared(member.Modifiers);
        if (declared != Access.Default) return declared;
        return member.Parent switch
        {
            InterfaceDeclarationSyntax => Access.Public,
            TypeDeclarationSyntax => Access.Private,
            _ => Access.Internal, // a top-level type
        };
    }

    /// <summary>True for public and protected: what another assembly can see in a visible container.</summary>
    public static bool IsOutward(Access access) => access is Access.Public or Access.Protected;
}
