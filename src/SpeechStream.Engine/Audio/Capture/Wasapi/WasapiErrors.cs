namespace SpeechStream.Engine.Audio.Capture.Wasapi;

/// <summary>
/// What a WASAPI failure means to a user, from its HRESULT (Audioclient.h <c>AUDCLNT_E_*</c>, winerror.h). Plain code,
/// no Windows call: the tests check it anywhere.
/// </summary>
internal static class WasapiErrors
{
    public const int DeviceInvalidated = unchecked((int)0x88890004);
    public const int UnsupportedFormat = unchecked((int)0x88890008);
    public const int DeviceInUse = unchecked((int)0x8889000A);
    public const int ServiceNotRunning = unchecked((int)0x88890010);
    public const int EndpointNotFound = unchecked((int)0x80070490); // HRESULT_FROM_WIN32(ERROR_NOT_FOUND)
    public const int AccessDenied = unchecked((int)0x80070005);
    public const int InvalidArgument = unchecked((int)0x80070057);

    /// <summary>A sentence naming the cause and, where there is one, the fix; the HRESULT in hex for anything else.</summary>
    public static string Describe(Exception e) => e.HResult switch
    {
        DeviceInvalidated => "the device was unplugged or disabled, or its format was changed in Sound settings (AUDCLNT_E_DEVICE_INVALIDATED)",
        DeviceInUse => "another program holds the device in exclusive mode (AUDCLNT_E_DEVICE_IN_USE); close it, or untick 'Allow applications to take exclusive control' in the device's Sound settings",
        ServiceNotRunning => "the Windows Audio service is not running (AUDCLNT_E_SERVICE_NOT_RUNNING)",
        EndpointNotFound => "the device is not there any more (ERROR_NOT_FOUND)",
        AccessDenied => "Windows denied access to the microphone (E_ACCESSDENIED): allow desktop apps in Settings > Privacy & security > Microphone",
        UnsupportedFormat => "the device does not take that format (AUDCLNT_E_UNSUPPORTED_FORMAT)",
        _ => $"{e.Message.TrimEnd('.')} (0x{e.HResult:X8})",
    };
}
