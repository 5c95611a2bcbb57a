using System.Diagnostics;
using SpeechStream.Cli;

namespace SpeechStream.Tests;

/// <summary>
/// How the tests run <c>speechstream</c>. By default in process (<see cref="CliApp"/> over string writers), and
/// <c>dotnet speechstream.dll</c> where a test needs a process of its own (signals, kills, a capped heap). When the
/// environment variable <c>SPEECHSTREAM_CLI</c> names an executable (the native build:
/// <c>SPEECHSTREAM_CLI=…/publish/speechstream dotnet test …</c>), both run that executable as a child process instead:
/// the arguments as given, stdout and stderr captured, the exit code returned, standard input closed at once unless
/// the test feeds it. Tests that can only run in process (they drive <see cref="CliApp"/> itself) carry the trait
/// <c>Category=InProcessCli</c>, which such a run filters out.
/// </summary>
internal static class CliRunner
{
    /// <summary>The environment variable that names the executable to test.</summary>
    public const string Variable = "SPEECHSTREAM_CLI";

    /// <summary>The trait value of tests that drive <see cref="CliApp"/> in process.</summary>
    public const string InProcessOnly = "InProcessCli";

    /// <summary>The executable named by <c>SPEECHSTREAM_CLI</c>, or null.</summary>
    public static string? Executable => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } p ? Path.GetFullPath(p) : null;

    /// <summary>Starting the CLI in a process of its own: the <c>SPEECHSTREAM_CLI</c> executable, else
    /// <c>dotnet speechstream.dll</c> from the test output. Output and error are redirected.</summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> args, bool redirectStdin = false, string? workDir = null)
    {
        var psi = Executable is { } exe
            ? new ProcessStartInfo(exe, args)
            : new ProcessStartInfo("dotnet", new[] { Path.Combine(AppContext.BaseDirectory, "speechstream.dll") }.Concat(args));
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.RedirectStandardInput = redirectStdin;
        psi.UseShellExecute = false;
        if (workDir is not null) psi.WorkingDirectory = workDir;
        return psi;
    }

    /// <summary>Runs a command line to its end: in process, or the <c>SPEECHSTREAM_CLI</c> executable in its own
    /// process (standard input fed from <paramref name="stdin"/>, else closed).</summary>
    /// <param name="stdin">What "-" and "--api-key -" read; null: in process, the console's standard input.</param>
    public static async Task<(int Code, string Out, string Err)> RunAsync(string[] args, Stream? stdin = null)
    {
        if (Executable is null)
        {
            var o = new StringWriter();
            var e = new StringWriter();
            int code = await new CliApp(o, e, stdin: stdin).RunAsync(args, CancellationToken.None);
            return (code, o.ToString(), e.ToString());
        }
        using var p = Process.Start(StartInfo(args, redirectStdin: true))!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        try
        {
            if (stdin is not null) await stdin.CopyToAsync(p.StandardInput.BaseStream);
        }
        catch (IOException) { } // the CLI stopped reading (it refused the input, or it needed only part of it)
        finally
        {
            try { p.StandardInput.Close(); } catch (IOException) { }
        }
        if (!p.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Executable} {string.Join(' ', args)} did not end within 5 minutes.");
        }
        await p.WaitForExitAsync();
        return (p.ExitCode, await stdout, await stderr);
    }
}
