using System.Text.RegularExpressions;
using SpeechStream.Cli;

namespace SpeechStream.Tests;

/// <summary>Every <c>speechstream</c> command line in the README's shell blocks and the commands' --help examples
/// parses (options and values that exist); the PowerShell examples are checked by tests/pester/Examples.Tests.ps1.</summary>
public class DocExampleTests
{
    /// <summary>The README's shell blocks' command lines; the synopsis block (with [optional] and a|b) is left out.</summary>
    public static TheoryData<string> ReadmeLines()
    {
        var data = new TheoryData<string>();
        foreach (var l in ReadmeCommandLines().Distinct()) data.Add(l);
        return data;
    }

    private static IEnumerable<string> ReadmeCommandLines()
    {
        var text = File.ReadAllText(Fixtures.RepoFile("README.md"));
        foreach (Match block in Regex.Matches(text, "```(?:bash|sh|shell)\\n(.*?)```", RegexOptions.Singleline))
            foreach (var raw in block.Groups[1].Value.Split('\n'))
            {
                string line = Regex.Replace(raw, @"\s+#.*$", "").Trim();
                int at = line.IndexOf("speechstream ", StringComparison.Ordinal);
                if (at < 0 || line.Contains("<file>") || line.Contains("[--") || Regex.IsMatch(line, @"voxist\|iapp")) continue;
                line = line[at..];
                yield return Regex.Split(line, @"\s(\||>|&&|2>)\s")[0];
            }
    }

    /// <summary>The --help examples that the README does not already show.</summary>
    public static TheoryData<string> HelpExamples()
    {
        var data = new TheoryData<string>();
        var readme = ReadmeCommandLines().ToHashSet();
        foreach (var l in Cli.Commands.TranscribeCommand.Examples.Concat(Cli.Commands.ListenCommand.Examples).Concat(Cli.Commands.SpeakCommand.Examples)
                     .Concat(Cli.Commands.EmulateCommand.Examples).Concat(Cli.Commands.ProvidersCommand.Examples))
        {
            string line = Regex.Split(l[l.IndexOf("speechstream ", StringComparison.Ordinal)..], @"\s(\||>)\s")[0];
            if (readme.Add(line)) data.Add(line);
        }
        return data;
    }

    /// <summary>In process only: it parses without running (<see cref="CliApp.ParseErrors"/>), which a child process
    /// cannot do; the native parser is the same code, exercised by the other CLI tests.</summary>
    [Theory]
    [Trait("Category", CliRunner.InProcessOnly)]
    [MemberData(nameof(ReadmeLines))]
    [MemberData(nameof(HelpExamples))]
    public void The_example_parses(string line)
    {
        var args = Regex.Matches(line, "'([^']*)'|\"([^\"]*)\"|(\\S+)").Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Success ? m.Groups[2].Value : m.Groups[3].Value)
            .Skip(1).ToArray();
        // Files the example names (a key file) need not exist here: only the syntax and the values are checked.
        Assert.Empty(CliApp.ParseErrors(args).Where(e => !e.Contains("does not exist")));
    }

    [Fact]
    public void The_README_has_command_lines_to_check() => Assert.True(ReadmeLines().Count >= 5);
}
