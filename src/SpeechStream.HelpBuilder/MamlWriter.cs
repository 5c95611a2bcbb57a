using System.Xml.Linq;

namespace SpeechStream.HelpBuilder;

/// <summary>
/// Writes <see cref="CmdletHelp"/> as MAML, the XML that <c>Get-Help</c> reads for compiled cmdlets
/// (<c>en-US/&lt;assembly&gt;.dll-Help.xml</c>): details (name, synopsis), description, syntax per parameter set,
/// parameters (with their types, accepted values and defaults), inputs, outputs, notes, examples, the online address
/// (the cmdlet's HelpUri) and a link to about_SpeechStream.
/// </summary>
internal static class MamlWriter
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    public static XDocument Write(IEnumerable<CmdletHelp> cmdlets, string aboutTopic) =>
        new(new XDeclaration("1.0", "utf-8", null),
            new XElement(Msh + "helpItems", new XAttribute("schema", "maml"),
                new XAttribute(XNamespace.Xmlns + "maml", Maml), new XAttribute(XNamespace.Xmlns + "command", Command),
                new XAttribute(XNamespace.Xmlns + "dev", Dev),
                cmdlets.Select(c => Cmdlet(c, aboutTopic))));

    private static XElement Cmdlet(CmdletHelp c, string aboutTopic) =>
        new(Command + "command",
            new XElement(Command + "details",
                new XElement(Command + "name", c.Name),
                new XElement(Command + "verb", c.Verb),
                new XElement(Command + "noun", c.Noun),
                Description(new[] { c.Synopsis })),
            Description(c.Description),
            new XElement(Command + "syntax", c.ParameterSets.Select(s => new XElement(Command + "syntaxItem",
                new XElement(Maml + "name", c.Name),
                s.Parameters.Select(p => Parameter(p.Parameter, p.Required, p.Position, inSyntax: true))))),
            new XElement(Command + "parameters", c.Parameters.Select(p =>
            {
                var uses = c.ParameterSets.SelectMany(s => s.Parameters).Where(x => x.Parameter == p).ToList();
                return Parameter(p, uses.Count > 0 && uses.All(u => u.Required), uses.Select(u => u.Position).FirstOrDefault(x => x is not null), inSyntax: false);
            })),
            new XElement(Command + "inputTypes", c.InputTypes.Select(t => new XElement(Command + "inputType", Type(t), Description(Array.Empty<string>())))),
            new XElement(Command + "returnValues", c.OutputTypes.Select(t => new XElement(Command + "returnValue", Type(t), Description(Array.Empty<string>())))),
            new XElement(Maml + "alertSet", c.Notes.Select(n => new XElement(Maml + "alert", new XElement(Maml + "para", n)))),
            new XElement(Command + "examples", c.Examples.Select((e, i) => new XElement(Command + "example",
                new XElement(Maml + "title", $"-------------------------- Example {i + 1} --------------------------"),
                new XElement(Dev + "code", e.Code),
                new XElement(Dev + "remarks", e.Remarks.Select(r => new XElement(Maml + "para", r)))))),
            new XElement(Command + "relatedLinks",
                // Get-Help -Online opens the first link that has an address: the cmdlet's HelpUri, as platyPS writes it.
                c.HelpUri is { Length: > 0 } uri
                    ? new XElement(Maml + "navigationLink", new XElement(Maml + "linkText", "Online Version:"), new XElement(Maml + "uri", uri))
                    : null,
                new XElement(Maml + "navigationLink", new XElement(Maml + "linkText", aboutTopic), new XElement(Maml + "uri"))));

    private static XElement Parameter(ParameterHelp p, bool required, int? position, bool inSyntax)
    {
        var e = new XElement(Command + "parameter",
            new XAttribute("required", required ? "true" : "false"),
            new XAttribute("variableLength", p.ShortTypeName.EndsWith("[]", StringComparison.Ordinal) ? "true" : "false"),
            new XAttribute("globbing", p.Globbing ? "true" : "false"),
            new XAttribute("pipelineInput", p.Pipeline),
            new XAttribute("position", position is int i ? i.ToString(System.Globalization.CultureInfo.InvariantCulture) : "named"),
            new XAttribute("aliases", p.Aliases.Count > 0 ? string.Join(", ", p.Aliases) : "none"),
            new XElement(Maml + "name", p.Name));
        if (!inSyntax)
            e.Add(Description(p.ValidValues.Count > 0
                ? p.Description.Append("Accepted values: " + string.Join(", ", p.ValidValues)) : p.Description));
        // The syntax shows a closed set as {A | B}; PARAMETERS shows the type (-Channel <String>), as for any value.
        if (p.ValidValues.Count > 0)
            e.Add(new XElement(Command + "parameterValueGroup", p.ValidValues.Select(v =>
                new XElement(Command + "parameterValue", new XAttribute("required", "false"), new XAttribute("variableLength", "false"), v))));
        if (!p.IsSwitch && (!inSyntax || p.ValidValues.Count == 0))
            e.Add(new XElement(Command + "parameterValue", new XAttribute("required", "true"), new XAttribute("variableLength", "false"), p.ShortTypeName));
        if (!inSyntax)
        {
            e.Add(Type(p.TypeName));
            e.Add(new XElement(Dev + "defaultValue", p.DefaultValue ?? "None"));
        }
        return e;
    }

    private static XElement Type(string name) =>
        new(Dev + "type", new XElement(Maml + "name", name), new XElement(Maml + "uri"));

    private static XElement Description(IEnumerable<string> paragraphs) =>
        new(Maml + "description", paragraphs.Select(p => new XElement(Maml + "para", p)));
}
