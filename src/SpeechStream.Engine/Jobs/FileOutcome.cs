namespace SpeechStream.Engine.Jobs;

/// <summary>How one input went: every provider's outcome, or the error that kept it from being read.</summary>
public sealed record FileOutcome(string Source, IReadOnlyList<ProviderOutcome> Providers, AsrException? InputError = null)
{
    /// <summary>Protocol violations the built-in emulators saw (only with -Emulate / --emulate).</summary>
    public IReadOnlyList<string> EmulatorViolations { get; init; } = Array.Empty<string>();

    /// <summary>The input error's verdict, or the worst of the providers'.</summary>
    public Verdict Verdict => InputError is not null ? Verdicts.Of(InputError) : Verdicts.Worst(Providers.Select(p => p.Verdict));
}
