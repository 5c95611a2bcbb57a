using SpeechStream.CodeMetrics.Sources;

namespace SpeechStream.CodeMetrics.Metrics;

/// <summary>A project's declared types by reach (partial types once).</summary>
/// <param name="Project">The project folder's name.</param>
/// <param name="Public">Publicly visible: public (or protected, when nested) with every containing type so too.</param>
/// <param name="Internal">Top-level types that are internal (declared or by default), and nested public or
/// internal types inside a type that is not visible.</param>
/// <param name="NestedPrivate">Nested types that are private or private protected, or protected inside a type that is
/// not visible.</param>
public sealed record PublicTypeCount(string Project, int Public, int Internal, int NestedPrivate)
{
    /// <summary>All the project's types.</summary>
    public int Total => Public + Internal + NestedPrivate;
}

/// <summary>Counts each project's public and internal types: how much of it other assemblies can see.</summary>
public static class PublicTypes
{
    /// <summary>One count per project, in project-name order.</summary>
    public static IReadOnlyList<PublicTypeCount> Measure(IEnumerable<SourceFile> files) =>
        files.GroupBy(f => f.Project)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Count(g.Key, new TypeIndex(g)))
            .ToList();

    /// <summary>Sorts one project's types into the three reaches.</summary>
    private static PublicTypeCount Count(string project, TypeIndex index)
    {
        int visible = 0, inside = 0, hidden = 0;
        foreach (var name in index.Names)
        {
            if (index.IsVisible(name)) visible++;
            else if (!name.Contains('+') || index.ReachesAssembly(name)) inside++;
            else hidden++;
        }
        return new PublicTypeCount(project, visible, inside, hidden);
    }
}
