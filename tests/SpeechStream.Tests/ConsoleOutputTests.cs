using SpeechStream.Cli;

namespace SpeechStream.Tests;

/// <summary>The progress line on stderr and the rows on stdout never share a line: the line is wiped before a row or
/// a message and drawn again after; rows are written whole.</summary>
public class ConsoleOutputTests
{
    [Fact]
    public void A_row_wipes_the_progress_line_first_and_it_comes_back_after()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        using var console = new ConsoleOutput(stdout, stderr, progress: true, width: 40);
        console.Progress("3/10 files");
        console.Rows.Write("[00:00.15 - 00:04.51] and mister");
        Assert.Equal("", stdout.ToString()); // nothing until the row is complete
        console.Rows.WriteLine(" john");
        console.Rows.Flush();
        console.Messages.WriteLine("speechstream: a warning");
        Assert.Equal("[00:00.15 - 00:04.51] and mister john\n", stdout.ToString());
        Assert.Equal("\r\u001b[2K3/10 files" + "\r\u001b[2K" + "3/10 files" + "\r\u001b[2K" + "speechstream: a warning\n" + "3/10 files", stderr.ToString());
    }

    [Fact]
    public void The_progress_line_is_cut_to_the_width_and_absent_when_stderr_is_not_a_terminal()
    {
        var stderr = new StringWriter();
        using (var console = new ConsoleOutput(new StringWriter(), stderr, progress: true, width: 20))
            console.Progress(new string('x', 50));
        Assert.Contains(new string('x', 18) + "…", stderr.ToString());
        var quiet = new StringWriter();
        using (var console = new ConsoleOutput(new StringWriter(), quiet, progress: false))
            console.Progress("1/2 files");
        Assert.Equal("", quiet.ToString());
    }
}
