using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net;
using System.Security;
using Microsoft.Extensions.Logging;
using SpeechStream.Engine;
using SpeechStream.Engine.Diagnostics;
using SpeechStream.Engine.Hosting;
using SpeechStream.Engine.Jobs;

namespace SpeechStream.PowerShell;

/// <summary>
/// Shared plumbing: a cancellation source cancelled by Ctrl+C (<see cref="StopProcessing"/>) and disposed in
/// <see cref="Dispose"/> (EndProcessing does not run after a stop); <see cref="RunPumped"/> runs engine work on
/// the thread pool and writes its output, logs (Verbose/Debug/Warning), progress and errors on the pipeline
/// thread, where PowerShell requires them.
/// </summary>
public abstract class AsrCmdletBase : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _cts = new();

    /// <summary>Cancelled when the user presses Ctrl+C (<see cref="StopProcessing"/>).</summary>
    protected CancellationToken StopToken => _cts.Token;

    /// <summary>The current runspace's id: the key of its sessions in <see cref="Engine.Hosting.SessionRegistry"/>.</summary>
    protected static Guid RunspaceId => Runspace.DefaultRunspace?.InstanceId ?? Guid.Empty;

    /// <summary>Ctrl+C: cancels <see cref="StopToken"/>.</summary>
    protected override void StopProcessing() => _cts.Cancel();

    /// <summary>Runs <paramref name="work"/> in the background and dispatches what it posts on this thread.</summary>
    /// <exception cref="Exception">Rethrows the work's exception after its events were written.</exception>
    protected void RunPumped(Func<EventPump, ILoggerFactory, CancellationToken, Task> work)
    {
        using var pump = new EventPump();
        using var lf = pump.CreateLoggerFactory(LogLevel.Debug);
        pump.Run(ct => work(pump, lf, ct), Dispatch, _cts.Token);
    }

    private void Dispatch(PumpEvent e)
    {
        switch (e.Kind)
        {
            case PumpEventKind.Output: WriteObject(e.Payload); break;
            case PumpEventKind.Verbose: WriteVerbose((string)e.Payload!); break;
            case PumpEventKind.Debug: WriteDebug((string)e.Payload!); break;
            case PumpEventKind.Warning: WriteWarning((string)e.Payload!); break;
            case PumpEventKind.Progress when e.Payload is JobProgress p: WriteProgress(ToProgressRecord(p)); break;
            case PumpEventKind.Progress when e.Payload is ProgressRecord r: WriteProgress(r); break;
            case PumpEventKind.Call when e.Payload is Action a: a(); break;
            case PumpEventKind.Error when e.Payload is ErrorRecord r: WriteError(r); break;
        }
    }

    internal static ProgressRecord ToProgressRecord(JobProgress p)
    {
        var r = new ProgressRecord(Math.Abs(p.Source.GetHashCode() % 100000) + 1, $"Transcribing {Path.GetFileName(p.Source)}",
            p.TotalSeconds is double t ? $"{p.SecondsSent:0.0} of {t:0.0} s sent" : $"{p.SecondsSent:0.0} s sent");
        if (p.TotalSeconds is double total && total > 0) r.PercentComplete = (int)Math.Clamp(100 * p.SecondsSent / total, 0, 100);
        if (p.TotalSeconds is double tt && p.SecondsSent >= tt) r.RecordType = ProgressRecordType.Completed;
        return r;
    }

    /// <summary>An ErrorRecord for an engine error: its stable ErrorId, a category for its kind, and a target.</summary>
    protected static ErrorRecord ToErrorRecord(Exception e, object? target)
    {
        if (e is AsrException a) return new ErrorRecord(a, a.ErrorId, ErrorMapping.Category(a.Kind), target);
        return new ErrorRecord(new InvalidOperationException(SecretRedactor.Redact(e.Message), e), "UnexpectedError", ErrorCategory.NotSpecified, target);
    }

    /// <summary>The key as a <see cref="Secret"/>: from the SecureString parameter, or null (the engine then
    /// reads the provider's environment variable).</summary>
    protected static Secret? ToSecret(SecureString? key) =>
        key is null || key.Length == 0 ? null : new Secret(new NetworkCredential(string.Empty, key).Password);

    /// <summary>A <c>-ProviderOption</c> hashtable as name/value strings (names case-insensitive); empty when null.</summary>
    protected static IReadOnlyDictionary<string, string> ToOptions(System.Collections.Hashtable? table)
    {
        var d = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (table is null) return d;
        foreach (System.Collections.DictionaryEntry kv in table)
            d[kv.Key.ToString()!] = kv.Value is bool b ? (b ? "true" : "false") : Convert.ToString(kv.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
        return d;
    }

    /// <summary>Resolves -Path (wildcards) or -LiteralPath through the PowerShell provider; only FileSystem paths.</summary>
    protected List<string> ResolvePaths(string[]? paths, bool literal)
    {
        var result = new List<string>();
        foreach (var p in paths ?? Array.Empty<string>())
        {
            try
            {
                if (literal)
                {
                    var full = SessionState.Path.GetUnresolvedProviderPathFromPSPath(p, out var provider, out _);
                    if (!IsFileSystem(provider, p)) continue;
                    if (Directory.Exists(full))
                    {
                        WriteFolderError(full, p);
                        continue;
                    }
                    if (!File.Exists(full))
                    {
                        WriteError(new ErrorRecord(new FileNotFoundException($"Cannot find the audio file '{full}'."), "AudioFileNotFound", ErrorCategory.ObjectNotFound, p));
                        continue;
                    }
                    result.Add(full);
                }
                else
                {
                    var resolved = GetResolvedProviderPathFromPSPath(p, out var provider);
                    if (!IsFileSystem(provider, p)) continue;
                    result.AddRange(resolved.Where(File.Exists));
                    // A folder named as it is, not matched by a wildcard, is a mistake to say (a wildcard such as *
                    // that also matches folders takes their files' neighbours, as Get-ChildItem -File would).
                    if (!WildcardPattern.ContainsWildcardCharacters(p))
                        foreach (var folder in resolved.Where(Directory.Exists)) WriteFolderError(folder, p);
                }
            }
            catch (ItemNotFoundException e)
            {
                WriteError(new ErrorRecord(e, "AudioFileNotFound", ErrorCategory.ObjectNotFound, p));
            }
        }
        return result;
    }

    /// <summary>The error for a folder given as audio: AudioPathIsFolder (InvalidArgument, not terminating), saying how
    /// to transcribe the files in it, as Get-Content says of a folder.</summary>
    private void WriteFolderError(string folder, string path) =>
        WriteError(new ErrorRecord(new ArgumentException(
                $"Cannot transcribe '{folder}' because it is a folder: expected an audio file. " +
                $"To transcribe the files in it: Get-ChildItem -LiteralPath '{folder.Replace("'", "''")}' -File | {MyInvocation.MyCommand.Name}"),
            "AudioPathIsFolder", ErrorCategory.InvalidArgument, path));

    private bool IsFileSystem(ProviderInfo provider, string path)
    {
        if (provider.Name == "FileSystem") return true;
        WriteError(new ErrorRecord(new ArgumentException($"'{path}' is on the {provider.Name} provider; audio must be a file system path."),
            "PathNotFileSystem", ErrorCategory.InvalidArgument, path));
        return false;
    }

    /// <summary>Releases the stop token.</summary>
    public void Dispose()
    {
        _cts.Dispose();
        GC.SuppressFinalize(this);
    }
}
