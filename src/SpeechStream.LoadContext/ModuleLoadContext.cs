using System.Reflection;
using System.Runtime.Loader;

namespace SpeechStream.Loading;

/// <summary>
/// The module's own <see cref="AssemblyLoadContext"/>. <c>SpeechStream.psm1</c> loads this assembly into the default
/// context, calls <see cref="Initialize"/> and imports the cmdlet assembly it returns. That assembly and every
/// dependency found beside it (the engine, the emulator, Microsoft.Extensions.*, Polly.Core, NAudio.Core and
/// NAudio.Wasapi) load here, so another module that loaded other versions of them first does not break SpeechStream,
/// and SpeechStream does not break it.
/// What is not beside it (PowerShell's System.Management.Automation, the .NET libraries) comes from the default
/// context, shared with PowerShell. The pattern is the one PSEtw and PSResourceGet use.
/// </summary>
public sealed class ModuleLoadContext : AssemblyLoadContext
{
    /// <summary>The cmdlet assembly's file name, in the folder of this one.</summary>
    public const string CmdletAssemblyFile = "SpeechStream.PowerShell.dll";

    private static readonly object Sync = new();
    private static ModuleLoadContext? _instance;

    private readonly string _directory;
    private readonly Assembly _self = typeof(ModuleLoadContext).Assembly;

    private ModuleLoadContext(string directory) : base("SpeechStream", isCollectible: false) => _directory = directory;

    /// <summary>The cmdlet assembly, loaded in the module's context (once per process: a second
    /// <c>Import-Module -Force</c> gets the same assembly).</summary>
    /// <exception cref="FileNotFoundException">The cmdlet assembly is not beside this one.</exception>
    public static Assembly Initialize()
    {
        lock (Sync)
        {
            if (_instance is null)
            {
                string directory = Path.GetDirectoryName(typeof(ModuleLoadContext).Assembly.Location)!;
                var context = new ModuleLoadContext(directory);
                context.Cmdlets = context.LoadFromAssemblyPath(Path.Combine(directory, CmdletAssemblyFile));
                _instance = context;
            }
            return _instance.Cmdlets;
        }
    }

    /// <summary>The context <see cref="Initialize"/> made, or null before.</summary>
    public static ModuleLoadContext? Instance => _instance;

    /// <summary>The cmdlet assembly.</summary>
    public Assembly Cmdlets { get; private set; } = null!;

    /// <inheritdoc/>
    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (AssemblyName.ReferenceMatchesDefinition(_self.GetName(), assemblyName)) return _self;
        string path = Path.Combine(_directory, assemblyName.Name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null; // null: the default context (SMA, .NET)
    }
}
