using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace SpeechStream.HelpBuilder;

/// <summary>
/// The compiler's XML documentation file of the cmdlet assembly, read for help: the <c>&lt;summary&gt;</c> of each
/// type and property, as plain paragraphs (<c>&lt;c&gt;</c>, <c>&lt;see cref&gt;</c> and <c>&lt;paramref&gt;</c>
/// become their text).
/// </summary>
internal sealed class XmlDocs
{
    private readonly Dictionary<string, XElement> _members;

    public XmlDocs(XDocument doc) =>
        _members = doc.Root?.Element("members")?.Elements("member")
            .Where(m => m.Attribute("name") is not null)
            .GroupBy(m => m.Attribute("name")!.Value).ToDictionary(g => g.Key, g => g.First())
            ?? new Dictionary<string, XElement>();

    /// <exception cref="FileNotFoundException">No documentation file beside the assembly.</exception>
    public static XmlDocs ForAssembly(string assemblyPath)
    {
        string path = Path.ChangeExtension(assemblyPath, ".xml");
        if (!File.Exists(path))
            throw new FileNotFoundException($"No XML documentation file beside {assemblyPath}: build it with GenerateDocumentationFile.", path);
        return new XmlDocs(XDocument.Load(path));
    }

    /// <summary>The member's doc element (<c>T:Namespace.Type</c>, <c>P:Namespace.Type.Property</c>), or null.</summary>
    public XElement? Member(string id) => _members.GetValueOrDefault(id);

    /// <summary>The paragraphs of a <c>&lt;para type="…"&gt;</c> kind inside the summary.</summary>
    public static IReadOnlyList<string> Paragraphs(XElement? member, string type) =>
        member?.Element("summary")?.Elements("para").Where(p => (string?)p.Attribute("type") == type).Select(Text).Where(t => t.Length > 0).ToList()
        ?? new List<string>();

    /// <summary>The summary as paragraphs: each <c>&lt;para&gt;</c> one, text outside them one.</summary>
    public static IReadOnlyList<string> Summary(XElement? member) => Blocks(member?.Element("summary"));

    /// <summary>The paragraphs of an element: each <c>&lt;para&gt;</c> one, the loose text between them one each.</summary>
    public static IReadOnlyList<string> Blocks(XElement? element)
    {
        var result = new List<string>();
        if (element is null) return result;
        var loose = new StringBuilder();
        void Flush()
        {
            var t = Normalize(loose.ToString());
            if (t.Length > 0) result.Add(t);
            loose.Clear();
        }
        foreach (var node in element.Nodes())
        {
            if (node is XElement { Name.LocalName: "para" } para) { Flush(); var t = Text(para); if (t.Length > 0) result.Add(t); }
            else if (node is XElement { Name.LocalName: "code" }) continue;
            else loose.Append(Inline(node));
        }
        Flush();
        return result;
    }

    /// <summary>An element's text with inline markup resolved and whitespace collapsed.</summary>
    public static string Text(XElement e) => Normalize(string.Concat(e.Nodes().Select(Inline)));

    private static string Inline(XNode node) => node switch
    {
        XText t => t.Value,
        XElement { Name.LocalName: "see" or "seealso" } s => (string?)s.Attribute("langword")
            ?? ((string?)s.Attribute("cref"))?.Split(':').Last().Split('.').Last() ?? s.Value,
        XElement { Name.LocalName: "paramref" or "typeparamref" } p => (string?)p.Attribute("name") ?? "",
        XElement e => string.Concat(e.Nodes().Select(Inline)),
        _ => "",
    };

    private static string Normalize(string s) => Regex.Replace(s, @"\s+", " ").Trim();

    /// <summary>Code as written, with the indentation common to its lines removed.</summary>
    public static string Code(XElement code)
    {
        var lines = code.Value.Replace("\r\n", "\n").Split('\n').ToList();
        while (lines.Count > 0 && lines[0].Trim().Length == 0) lines.RemoveAt(0);
        while (lines.Count > 0 && lines[^1].Trim().Length == 0) lines.RemoveAt(lines.Count - 1);
        int indent = lines.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
        return string.Join("\n", lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()));
    }
}
