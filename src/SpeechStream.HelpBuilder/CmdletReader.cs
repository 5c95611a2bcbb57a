using System.Collections.ObjectModel;
using System.Reflection;
using System.Xml.Linq;

namespace SpeechStream.HelpBuilder;

/// <summary>
/// Reads each cmdlet of an assembly into <see cref="CmdletHelp"/>: the text from its XML doc comments (the class
/// summary's <c>&lt;para type="synopsis|description|notes"&gt;</c>, its <c>&lt;example&gt;</c>s, each parameter
/// property's summary) and the binding from its attributes, read as <see cref="CustomAttributeData"/> so that no
/// PowerShell is needed.
/// </summary>
internal static class CmdletReader
{
    private const string AllSets = "__AllParameterSets";

    public static IReadOnlyList<CmdletHelp> Read(Assembly assembly, XmlDocs docs) =>
        LoadableTypes(assembly)
            .Where(t => t is { IsAbstract: false, IsPublic: true } && Attr(t, "CmdletAttribute") is not null)
            .Select(t => ReadCmdlet(t, docs))
            .OrderBy(c => c.Name, StringComparer.Ordinal).ToList();

    private static IEnumerable<Type> LoadableTypes(Assembly a)
    {
        try { return a.GetTypes(); }
        catch (ReflectionTypeLoadException e) { return e.Types.OfType<Type>(); }
    }

    internal static CmdletHelp ReadCmdlet(Type t, XmlDocs docs)
    {
        var cmdlet = Attr(t, "CmdletAttribute")!;
        string verb = (string)cmdlet.ConstructorArguments[0].Value!, noun = (string)cmdlet.ConstructorArguments[1].Value!;
        var member = docs.Member("T:" + t.FullName);
        object? instance = NewInstance(t);
        var parameters = new List<(ParameterHelp Help, List<CustomAttributeData> Attrs)>();
        foreach (var p in t.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var attrs = p.GetCustomAttributesData().Where(a => a.AttributeType.Name == "ParameterAttribute").ToList();
            if (attrs.Count > 0) parameters.Add((ReadParameter(p, attrs, docs, instance), attrs));
        }
        // Positional parameters first, in position order, then the rest as declared (the derived class's first).
        parameters = parameters.OrderBy(p => MinPosition(p.Attrs) ?? int.MaxValue).ToList();
        if (Named(cmdlet, "SupportsShouldProcess") is true)
        {
            parameters.Add((Switch("WhatIf", "wi", "Shows what would happen if the cmdlet runs. The cmdlet is not run."), new()));
            parameters.Add((Switch("Confirm", "cf", "Prompts you for confirmation before running the cmdlet."), new()));
        }
        return new CmdletHelp(verb, noun,
            XmlDocs.Paragraphs(member, "synopsis").FirstOrDefault() ?? "",
            XmlDocs.Paragraphs(member, "description"),
            XmlDocs.Paragraphs(member, "notes"),
            parameters.Select(p => p.Help).ToList(),
            Sets(parameters, Named(cmdlet, "DefaultParameterSetName") as string),
            member?.Elements("example").Select(e => new ExampleHelp(
                e.Element("code") is { } code ? XmlDocs.Code(code) : "", XmlDocs.Blocks(e))).ToList() ?? new List<ExampleHelp>(),
            InputTypes(parameters),
            OutputTypes(t),
            Named(cmdlet, "HelpUri") as string);
    }

    /// <summary>A new cmdlet, to read its parameters' initial values; null when it cannot be made here.</summary>
    private static object? NewInstance(Type t)
    {
        try { return Activator.CreateInstance(t); }
        catch (Exception e) when (e is TargetInvocationException or MissingMethodException or MemberAccessException or TypeLoadException or FileNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The default Get-Help shows: [PSDefaultValue(Help = …)] or its Value, else the property's initial value
    /// in <paramref name="instance"/> (a switch: False); null when there is none (a null, an empty array).</summary>
    internal static string? DefaultValue(PropertyInfo p, object? instance)
    {
        if (Attr(p, "PSDefaultValueAttribute") is { } d)
            return Named(d, "Help") as string ?? (Named(d, "Value") is { } v ? Format(v) : null);
        if (p.PropertyType.Name == "SwitchParameter") return "False";
        if (instance is null) return null;
        object? value;
        try { value = p.GetValue(instance); }
        catch (TargetInvocationException) { return null; }
        return value is null ? null : Format(value);
    }

    private static string? Format(object value) => value switch
    {
        string s => s.Length > 0 ? s : null,
        System.Collections.IEnumerable e => e.Cast<object?>().Select(x => x is null ? null : Format(x)).Where(x => x is not null).ToList()
            is { Count: > 0 } items ? string.Join(", ", items) : null,
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static ParameterHelp ReadParameter(PropertyInfo p, List<CustomAttributeData> attrs, XmlDocs docs, object? instance)
    {
        var type = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
        bool byValue = attrs.Any(a => Named(a, "ValueFromPipeline") is true);
        bool byName = attrs.Any(a => Named(a, "ValueFromPipelineByPropertyName") is true);
        string pipeline = (byValue, byName) switch
        {
            (true, true) => "true (ByValue, ByPropertyName)",
            (true, false) => "true (ByValue)",
            (false, true) => "true (ByPropertyName)",
            _ => "false",
        };
        return new ParameterHelp(p.Name, type.FullName ?? type.Name, ShortName(type), type.Name == "SwitchParameter",
            XmlDocs.Summary(docs.Member($"P:{p.DeclaringType!.FullName}.{p.Name}")),
            Strings(Attr(p, "AliasAttribute")), ValidValues(p, type), pipeline,
            Attr(p, "SupportsWildcardsAttribute") is not null, DefaultValue(p, instance));
    }

    /// <summary>A ValidateSet's values, else an enum's names (of the element type for an array).</summary>
    private static IReadOnlyList<string> ValidValues(PropertyInfo p, Type type)
    {
        var set = Strings(Attr(p, "ValidateSetAttribute"));
        if (set.Count > 0) return set;
        var element = type.IsArray ? type.GetElementType()! : type;
        element = Nullable.GetUnderlyingType(element) ?? element;
        return element.IsEnum ? Enum.GetNames(element) : Array.Empty<string>();
    }

    private static ParameterHelp Switch(string name, string alias, string description) =>
        new(name, "System.Management.Automation.SwitchParameter", "SwitchParameter", true, new[] { description },
            new[] { alias }, Array.Empty<string>(), "false", false, "False");

    private static IReadOnlyList<ParameterSetHelp> Sets(List<(ParameterHelp Help, List<CustomAttributeData> Attrs)> parameters, string? defaultSet)
    {
        var names = parameters.SelectMany(p => p.Attrs).Select(SetName).Where(n => n != AllSets).Distinct().ToList();
        if (names.Count == 0) names.Add(AllSets);
        defaultSet ??= names[0];
        return names.OrderBy(n => n == defaultSet ? 0 : 1).Select(set => new ParameterSetHelp(set, set == defaultSet,
            parameters.Select(p => (p.Help, Attr: p.Attrs.FirstOrDefault(a => SetName(a) == set) ?? p.Attrs.FirstOrDefault(a => SetName(a) == AllSets),
                    Common: p.Attrs.Count == 0))
                .Where(p => p.Attr is not null || p.Common)
                .Select(p => new SyntaxParameter(p.Help, p.Attr is not null && Named(p.Attr, "Mandatory") is true, Position(p.Attr)))
                .ToList())).ToList();
    }

    private static string SetName(CustomAttributeData a) => Named(a, "ParameterSetName") as string ?? AllSets;

    private static int? Position(CustomAttributeData? a) => a is not null && Named(a, "Position") is int i && i >= 0 ? i : null;

    private static int? MinPosition(List<CustomAttributeData> attrs) => attrs.Select(Position).Where(p => p is not null).Min();

    private static IReadOnlyList<string> InputTypes(List<(ParameterHelp Help, List<CustomAttributeData> Attrs)> parameters)
    {
        var types = parameters.Where(p => p.Help.Pipeline != "false").Select(p => p.Help.TypeName).Distinct().ToList();
        return types.Count > 0 ? types : new[] { "None" };
    }

    private static IReadOnlyList<string> OutputTypes(Type t)
    {
        var types = t.GetCustomAttributesData().Where(a => a.AttributeType.Name == "OutputTypeAttribute")
            .SelectMany(a => a.ConstructorArguments.SelectMany(Values))
            .Select(v => v is Type type ? (type == typeof(void) ? "None" : type.FullName ?? type.Name) : v?.ToString() ?? "")
            .Where(s => s.Length > 0).Distinct().ToList();
        return types.Count > 0 ? types : new[] { "None" };
    }

    private static IEnumerable<object?> Values(CustomAttributeTypedArgument arg) =>
        arg.Value is ReadOnlyCollection<CustomAttributeTypedArgument> many ? many.Select(m => m.Value) : new[] { arg.Value };

    private static IReadOnlyList<string> Strings(CustomAttributeData? a) =>
        a is null ? Array.Empty<string>() : a.ConstructorArguments.SelectMany(Values).OfType<string>().ToList();

    /// <summary>The type as Get-Help's syntax shows it: String[], Int32, SwitchParameter.</summary>
    internal static string ShortName(Type t) => t.IsArray ? ShortName(t.GetElementType()!) + "[]" : t.Name;

    internal static CustomAttributeData? Attr(MemberInfo m, string name) =>
        m.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.Name == name);

    internal static object? Named(CustomAttributeData a, string name) =>
        a.NamedArguments.FirstOrDefault(n => n.MemberName == name).TypedValue.Value;
}
