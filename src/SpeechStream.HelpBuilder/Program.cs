using System.Reflection;
using SpeechStream.HelpBuilder;

// speechstream-helpbuilder <cmdlet assembly> <output MAML file>
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: SpeechStream.HelpBuilder <cmdlet assembly .dll> <output .dll-Help.xml>");
    return 2;
}
try
{
    var assembly = Assembly.LoadFrom(Path.GetFullPath(args[0]));
    var cmdlets = CmdletReader.Read(assembly, XmlDocs.ForAssembly(args[0]));
    var problems = HelpCheck.Problems(cmdlets).ToList();
    foreach (var p in problems) Console.Error.WriteLine($"help: {p}");
    if (problems.Count > 0) return 1;
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(args[1]))!);
    MamlWriter.Write(cmdlets, "about_SpeechStream").Save(args[1]);
    Console.WriteLine($"Help for {cmdlets.Count} cmdlets: {args[1]}");
    return 0;
}
catch (Exception e) when (e is IOException or BadImageFormatException or System.Xml.XmlException)
{
    Console.Error.WriteLine($"help: {e.Message}");
    return 1;
}
