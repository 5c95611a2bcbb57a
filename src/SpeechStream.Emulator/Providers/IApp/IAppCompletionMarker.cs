namespace SpeechStream.Emulator;

/// <summary>Which completion markers an iApp emulator sends, in which order (iApp README, "Completion").</summary>
public enum IAppCompletionMarker
{
    /// <summary><c>end_of_process</c> then <c>Confirm Close Connection</c>: what both the seed's prose and its sample
    /// client (which waits for <c>Confirm Close Connection</c>) complete against.</summary>
    Both,
    /// <summary><c>Confirm Close Connection</c> then <c>end_of_process</c>.</summary>
    BothReversed,
    /// <summary>Only <c>{"type":"realtime","text":"end_of_process"}</c>, as the seed's prose says.</summary>
    EndOfProcess,
    /// <summary>Only <c>{"type":"realtime","text":"Confirm Close Connection"}</c>, as the seed's sample code checks.</summary>
    ConfirmCloseConnection,
}
