using System.Reflection;
using System.Xml.Linq;
using SpeechStream.HelpBuilder;
using SpeechStream.PowerShell;

namespace SpeechStream.Tests;

/// <summary>The MAML help builder (src/SpeechStream.HelpBuilder): run over the real cmdlets it finds no problem and
/// writes every parameter; over doctored help it names each problem; its parsing of examples and doc comments.</summary>
public class HelpBuilderTests
{
    private static readonly Assembly Module = typeof(AsrCmdletBase).Assembly;

    private static IReadOnlyList<CmdletHelp> RealHelp() =>
        CmdletReader.Read(Module, XmlDocs.ForAssembly(Module.Location));

    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    [Fact]
    public void The_docs_of_every_real_cmdlet_pass_the_check()
    {
        var help = RealHelp();
        Assert.Equal(11, help.Count);
        Assert.Empty(HelpCheck.Problems(help));
    }

    [Fact]
    public void The_help_lists_exactly_the_parameters_each_cmdlet_binds()
    {
        foreach (var c in RealHelp())
        {
            var type = Module.GetTypes().Single(t => t.Name == c.Name.Replace("-", "") + "Command");
            var bound = type.GetProperties().Where(p => p.GetCustomAttributesData().Any(a => a.AttributeType.Name == "ParameterAttribute"))
                .Select(p => p.Name).ToList();
            bool shouldProcess = type.GetCustomAttributesData().Single(a => a.AttributeType.Name == "CmdletAttribute")
                .NamedArguments.Any(n => n.MemberName == "SupportsShouldProcess" && n.TypedValue.Value is true);
            if (shouldProcess) bound.AddRange(new[] { "WhatIf", "Confirm" });
            Assert.Equal(bound.OrderBy(n => n), c.Parameters.Select(p => p.Name).OrderBy(n => n));
            Assert.All(c.Parameters, p => Assert.NotEmpty(p.Description));
        }
    }

    [Fact]
    public void The_MAML_has_every_cmdlet_with_its_parameters_syntax_and_examples()
    {
        var help = RealHelp();
        var doc = MamlWriter.Write(help, "about_SpeechStream");
        var commands = doc.Root!.Elements(Command + "command").ToList();
        Assert.Equal(help.Count, commands.Count);
        foreach (var c in help)
        {
            var cmd = commands.Single(e => (string?)e.Element(Command + "details")!.Element(Command + "name") == c.Name);
            Assert.Equal(c.Synopsis, (string?)cmd.Element(Command + "details")!.Element(Maml + "description")!.Element(Maml + "para"));
            var parameters = cmd.Element(Command + "parameters")!.Elements(Command + "parameter")
                .Select(p => (string?)p.Element(Maml + "name")).ToList();
            Assert.Equal(c.Parameters.Select(p => p.Name), parameters);
            Assert.Equal(c.ParameterSets.Count, cmd.Element(Command + "syntax")!.Elements(Command + "syntaxItem").Count());
            Assert.Equal(c.Examples.Count, cmd.Element(Command + "examples")!.Elements(Command + "example").Count());
            Assert.All(cmd.Descendants(Dev + "code"), code => Assert.False(string.IsNullOrWhiteSpace(code.Value)));
        }
    }

    [Fact]
    public void Invoke_AsrFile_help_shows_path_binding_as_PowerShell_would()
    {
        var c = RealHelp().Single(c => c.Name == "Invoke-AsrFile");
        var path = c.Parameters.Single(p => p.Name == "Path");
        Assert.True(path.Globbing);
        Assert.Equal("true (ByValue, ByPropertyName)", path.Pipeline);
        Assert.Equal("String[]", path.ShortTypeName);
        var literal = c.Parameters.Single(p => p.Name == "LiteralPath");
        Assert.Contains("PSPath", literal.Aliases);
        var set = c.ParameterSets.Single(s => s.IsDefault);
        Assert.Equal(0, set.Parameters.Single(p => p.Parameter.Name == "Path").Position);
        Assert.DoesNotContain(set.Parameters, p => p.Parameter.Name == "LiteralPath");
        var emulate = c.Parameters.Single(p => p.Name == "Emulate");
        Assert.True(emulate.IsSwitch);
    }

    [Fact]
    public void Parameters_have_their_defaults_from_the_cmdlet_and_PSDefaultValue()
    {
        var help = RealHelp();
        var file = help.Single(c => c.Name == "Invoke-AsrFile").Parameters.ToDictionary(p => p.Name);
        Assert.Equal("Voxist", file["Provider"].DefaultValue);
        Assert.Equal("1", file["Speed"].DefaultValue);
        Assert.Equal("Mix", file["Channel"].DefaultValue);
        Assert.Equal("30", file["DrainTimeout"].DefaultValue);
        Assert.Equal("0.5", file["CompletionGrace"].DefaultValue);
        Assert.Equal("16000", file["RawSampleRate"].DefaultValue);
        Assert.Equal("False", file["Emulate"].DefaultValue);
        Assert.Null(file["Path"].DefaultValue);
        Assert.Null(file["OutputFolder"].DefaultValue);
        // -Language has no initial value: the provider decides, and the help says what each provider's default is.
        foreach (var c in new[] { "Invoke-AsrFile", "Connect-AsrSession", "Invoke-AsrMicrophone" })
        {
            var language = help.Single(h => h.Name == c).Parameters.Single(p => p.Name == "Language").DefaultValue;
            foreach (var d in SpeechStream.Engine.Providers.ProviderRegistry.All.Select(p => p.Descriptor))
                Assert.Contains($"{d.Name} {d.DefaultLanguage}", language);
            Assert.Equal("Voxist", help.Single(h => h.Name == c).Parameters.Single(p => p.Name == "Provider").DefaultValue);
        }
        Assert.Equal("Srt", help.Single(c => c.Name == "ConvertTo-AsrSubtitle").Parameters.Single(p => p.Name == "Format").DefaultValue);
    }

    [Fact]
    public void The_MAML_gives_every_parameter_its_type_default_and_accepted_values_and_every_cmdlet_its_online_address()
    {
        var help = RealHelp();
        var doc = MamlWriter.Write(help, "about_SpeechStream");
        foreach (var cmd in doc.Root!.Elements(Command + "command"))
        {
            string name = (string)cmd.Element(Command + "details")!.Element(Command + "name")!;
            var c = help.Single(h => h.Name == name);
            Assert.Equal("https://github.com/speechstream/speechstream#powershell", c.HelpUri);
            var first = cmd.Element(Command + "relatedLinks")!.Elements(Maml + "navigationLink").First();
            Assert.Equal(c.HelpUri, (string?)first.Element(Maml + "uri"));
            foreach (var p in cmd.Element(Command + "parameters")!.Elements(Command + "parameter"))
            {
                var ph = c.Parameters.Single(x => x.Name == (string?)p.Element(Maml + "name"));
                Assert.Equal(ph.DefaultValue ?? "None", (string?)p.Element(Dev + "defaultValue"));
                if (!ph.IsSwitch) Assert.Equal(ph.ShortTypeName, (string?)p.Element(Command + "parameterValue"));
                if (ph.ValidValues.Count > 0)
                {
                    Assert.Equal(ph.ValidValues, p.Element(Command + "parameterValueGroup")!.Elements().Select(v => v.Value));
                    Assert.Contains("Accepted values: " + string.Join(", ", ph.ValidValues),
                        p.Element(Maml + "description")!.Elements(Maml + "para").Select(x => x.Value));
                }
            }
        }
        var channel = help.Single(c => c.Name == "Invoke-AsrFile").Parameters.Single(p => p.Name == "Channel");
        Assert.Equal(new[] { "Mix", "Left", "Right", "Split" }, channel.ValidValues);
        Assert.Equal("String", channel.ShortTypeName);
    }

    [Fact]
    public void An_enum_parameter_lists_its_names_as_accepted_values()
    {
        var c = CmdletReader.ReadCmdlet(typeof(EnumParameterCommand), new XmlDocs(new XDocument(new XElement("doc"))));
        var p = c.Parameters.Single(p => p.Name == "Level");
        Assert.Equal(Enum.GetNames<System.IO.FileAccess>(), p.ValidValues);
        Assert.Equal("FileAccess", p.ShortTypeName);
        Assert.Equal("ReadWrite", p.DefaultValue);
    }

    [System.Management.Automation.Cmdlet("Test", "EnumParameter")]
    public sealed class EnumParameterCommand : System.Management.Automation.PSCmdlet
    {
        [System.Management.Automation.Parameter]
        public System.IO.FileAccess Level { get; set; } = System.IO.FileAccess.ReadWrite;
    }

    [Fact]
    public void ConvertTo_Speech_help_has_WhatIf_and_Confirm()
    {
        var c = RealHelp().Single(c => c.Name == "ConvertTo-Speech");
        Assert.Contains(c.Parameters, p => p.Name == "WhatIf" && p.Aliases.Contains("wi"));
        Assert.Contains(c.Parameters, p => p.Name == "Confirm" && p.Aliases.Contains("cf"));
    }

    [Fact]
    public void The_check_names_each_kind_of_problem()
    {
        var p = new ParameterHelp("Speed", "System.String", "String", false, Array.Empty<string>(), Array.Empty<string>(),
            Array.Empty<string>(), "false", false);
        var bare = new CmdletHelp("Invoke", "AsrThing", "", Array.Empty<string>(), Array.Empty<string>(), new[] { p },
            Array.Empty<ParameterSetHelp>(), new[] { new ExampleHelp("Invoke-AsrThing -Sped max -Verbose", Array.Empty<string>()) },
            new[] { "None" }, new[] { "None" });
        var problems = HelpCheck.Problems(new[] { bare }).ToList();
        Assert.Contains("Invoke-AsrThing: no synopsis (<para type=\"synopsis\">).", problems);
        Assert.Contains("Invoke-AsrThing: no description (<para type=\"description\">).", problems);
        Assert.Contains("Invoke-AsrThing: parameter -Speed has no description (the property's <summary>).", problems);
        Assert.Contains("Invoke-AsrThing: an example passes Invoke-AsrThing -Sped, which it does not have.", problems);
        Assert.Equal(4, problems.Count);   // -Verbose is a common parameter

        var noExample = bare with { Synopsis = "s", Description = new[] { "d" }, Examples = Array.Empty<ExampleHelp>(),
            Parameters = new[] { p with { Description = new[] { "How fast." } } } };
        Assert.Equal(new[] { "Invoke-AsrThing: no example (<example><code>)." }, HelpCheck.Problems(new[] { noExample }));
    }

    [Theory]
    [InlineData("Invoke-AsrFile a.wav -Emulate -Speed max | Export-Csv -Path x.csv", "Invoke-AsrFile:Emulate,Invoke-AsrFile:Speed")]
    [InlineData("Invoke-AsrFile (Get-Item -Force a.wav) -Emulate", "Invoke-AsrFile:Emulate")]
    [InlineData("Invoke-AsrFile \"a -b.wav\" -Provider:Voxist", "Invoke-AsrFile:Provider")]
    [InlineData("$s = Connect-AsrSession -Emulate; Get-Content x | Send-AsrAudio -Session $s", "Connect-AsrSession:Emulate,Send-AsrAudio:Session")]
    [InlineData("Get-ChildItem *.wav -Recurse | ForEach-Object { Invoke-AsrFile $_ -Emulate }", "Invoke-AsrFile:Emulate")]
    public void Examples_are_read_for_the_parameters_they_pass_to_our_cmdlets(string code, string expected)
    {
        var names = new[] { "Invoke-AsrFile", "Connect-AsrSession", "Send-AsrAudio" };
        var used = HelpCheck.ParametersUsed(code, names).Select(u => $"{u.Cmdlet}:{u.Parameter}");
        Assert.Equal(expected, string.Join(",", used));
    }

    [Fact]
    public void Doc_comments_become_plain_paragraphs_and_dedented_code()
    {
        var member = XElement.Parse("""
            <member name="T:X">
              <summary>
                <para type="synopsis">Sends <c>audio</c> to a <see cref="T:SpeechStream.Engine.AsrSession"/>.</para>
                <para type="description">First   paragraph, about <paramref name="path"/>.</para>
                <para type="description">Second; <see langword="null"/> allowed.</para>
              </summary>
              <example>
                <code>
                  Invoke-AsrFile a.wav `
                      -Emulate
                </code>
                <para>Runs it.</para> And more.
              </example>
            </member>
            """);
        Assert.Equal(new[] { "Sends audio to a AsrSession." }, XmlDocs.Paragraphs(member, "synopsis"));
        Assert.Equal(new[] { "First paragraph, about path.", "Second; null allowed." }, XmlDocs.Paragraphs(member, "description"));
        var example = member.Element("example")!;
        Assert.Equal("Invoke-AsrFile a.wav `\n    -Emulate", XmlDocs.Code(example.Element("code")!));
        Assert.Equal(new[] { "Runs it.", "And more." }, XmlDocs.Blocks(example));
    }

    [Fact]
    public void A_missing_documentation_file_is_named()
    {
        string dll = Path.Combine(Path.GetTempPath(), $"nodocs-{Guid.NewGuid():N}.dll");
        var e = Assert.Throws<FileNotFoundException>(() => XmlDocs.ForAssembly(dll));
        Assert.Contains("GenerateDocumentationFile", e.Message);
    }
}
