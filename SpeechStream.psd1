@{
    # Source manifest. build.ps1 stamps ModuleVersion from Directory.Build.props into out/SpeechStream/<version>/.
    RootModule           = 'SpeechStream.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '5b8f3a52-6f0e-4c7e-9d1a-2f4a8e7c3b91'
    Author               = 'SpeechStream'
    CompanyName          = 'SpeechStream'
    Copyright            = '(c) 2026 SpeechStream contributors. MIT License.'
    Description          = 'Streaming speech-to-text from PowerShell: audio files and streams to Voxist, iApp, Smallest.ai, VoxNexus and Speechall over WebSockets; transcripts as pipeline objects.'
    PowerShellVersion    = '7.6'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('SpeechStream.format.ps1xml')
    CmdletsToExport      = @(
        'Connect-AsrSession'
        'ConvertTo-AsrSubtitle'
        'ConvertTo-Speech'
        'Disconnect-AsrSession'
        'Get-AsrAudioDevice'
        'Get-AsrProvider'
        'Get-AsrSession'
        'Invoke-AsrFile'
        'Invoke-AsrMicrophone'
        'Receive-AsrTranscript'
        'Send-AsrAudio'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('speech', 'asr', 'stt', 'speech-to-text', 'transcription', 'websocket', 'voxist', 'iapp', 'smallest',
                'voxnexus', 'speechall', 'tts', 'PSEdition_Core', 'Linux', 'Windows', 'MacOS')
            ProjectUri   = 'https://github.com/speechstream/speechstream'
            LicenseUri   = 'https://github.com/speechstream/speechstream/blob/main/LICENSE'
            ReleaseNotes = @'
0.1.0
- Streaming speech-to-text to Voxist, iApp, Smallest.ai, VoxNexus and Speechall; VoxNexus text to speech.
- A whole transcript or a loud verdict: rows the provider never confirmed are marked Unconfirmed, and the error
  TranscriptIncomplete names the seconds without a confirmed final.
- A built-in emulator of every provider (-Emulate), with the server behaviours each document allows (-EmulatorProfile).
- Dependencies load in the module's own AssemblyLoadContext.
- PowerShell 7.6 or later (the LTS, on .NET 10): 7.4 and its .NET 8 left support on 2026-11-18.
'@
        }
    }
}
