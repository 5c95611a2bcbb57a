# Ctrl+C: PowerShell.Stop() returns within a second in every state a session can be in, and leaves nothing behind.
# Each case waits for an event from the running command (a verbose line, a progress record, a warning) before it
# stops it, so the state is known; only the stop itself is timed, with the bound the module promises.
BeforeAll { . (Join-Path $PSScriptRoot 'Common.ps1') }

Describe 'Stop (Ctrl+C)' {
    BeforeAll {
        $script:silent = Start-SilentServer
        $script:silentPort = $silent.LocalEndpoint.Port
        function Stop-Timed($run) {
            $sw = [Diagnostics.Stopwatch]::StartNew()
            $run.PowerShell.Stop()
            $sw.Stop()
            Write-Host ('    Stop() returned in {0:0} ms' -f $sw.Elapsed.TotalMilliseconds)
            $sw.Elapsed.TotalSeconds
        }
        function Get-RunspaceSessions($run) {
            $ps = [powershell]::Create()
            $ps.Runspace = $run.PowerShell.Runspace
            try { $ps.AddCommand('Get-AsrSession').Invoke() } finally { $ps.Dispose() }
        }
    }
    AfterAll { $silent.Stop() }

    It 'returns within 1 s while connecting to a server that never answers' {
        $run = Start-AsrPipeline { param($Port, $File)
            Invoke-AsrFile $File -Endpoint "ws://127.0.0.1:$Port/ws" -ApiKey 'k-123456' -AuthMode key -Verbose
        } @{ Port = $silentPort; File = (Join-Path $Fixtures 'librivox-2.wav') }
        try {
            Wait-Until { $run.PowerShell.Streams.Verbose.Message -match 'Connecting to Voxist' } -What 'the connection attempt'
            Stop-Timed $run | Should -BeLessThan 1
            $run.PowerShell.InvocationStateInfo.State | Should -Be 'Stopped'
        }
        finally { $run.PowerShell.Dispose() }
    }

    It 'returns within 1 s while a session connects (Connect-AsrSession), and registers no session' {
        $run = Start-AsrPipeline { param($Port) Connect-AsrSession -Endpoint "ws://127.0.0.1:$Port/ws" -ApiKey 'k-123456' -AuthMode key -Verbose } @{ Port = $silentPort }
        try {
            Wait-Until { $run.PowerShell.Streams.Verbose.Message -match 'Connecting to Voxist' } -What 'the connection attempt'
            Stop-Timed $run | Should -BeLessThan 1
            Get-RunspaceSessions $run | Should -BeNullOrEmpty
        }
        finally { $run.PowerShell.Dispose() }
    }

    It 'returns within 1 s while streaming at real time' {
        $run = Start-AsrPipeline { param($File) Invoke-AsrFile $File -Emulate } @{ File = (Join-Path $Fixtures 'call-mono-16k.wav') }
        try {
            Wait-Until { $run.PowerShell.Streams.Progress.Count -ge 2 } -What 'progress while streaming'
            Stop-Timed $run | Should -BeLessThan 1
        }
        finally { $run.PowerShell.Dispose() }
    }

    It 'returns within 1 s while draining, waiting for a server that never completes' {
        $run = Start-AsrPipeline { param($File) Invoke-AsrFile $File -Emulate -EmulatorProfile stall -Speed max } @{ File = (Join-Path $Fixtures 'librivox-2.wav') }
        try {
            Wait-Until { $run.PowerShell.Streams.Progress | Where-Object RecordType -eq 'Completed' } -What 'the end of the audio'
            Stop-Timed $run | Should -BeLessThan 1
        }
        finally { $run.PowerShell.Dispose() }
    }

    It 'returns within 1 s while waiting to reconnect after a close 1013' {
        $run = Start-AsrPipeline { param($File) Invoke-AsrFile $File -Emulate -EmulatorProfile close-1013 -Speed max } @{ File = (Join-Path $Fixtures 'call-mono-16k.wav') }
        try {
            Wait-Until { $run.PowerShell.Streams.Warning.Message -match 'retry in' } -What 'the reconnect wait'
            Stop-Timed $run | Should -BeLessThan 1
        }
        finally { $run.PowerShell.Dispose() }
    }

    It 'returns within 1 s while capturing the microphone, and ends the capture process' -Skip:(-not ($IsLinux -or $IsMacOS)) {
        $marker = Get-Random -Minimum 100000 -Maximum 999999
        $run = Start-AsrPipeline { param($Command) Invoke-AsrMicrophone -Emulate -CaptureCommand $Command -Verbose } @{ Command = "sleep $marker" }
        try {
            Wait-Until { $run.PowerShell.Streams.Verbose.Message -match 'Connected to Voxist' } -What 'the session'
            Wait-Until { (& pgrep -f "sleep $marker") } -What 'the capture process'
            Stop-Timed $run | Should -BeLessThan 1
            Wait-Until { -not (& pgrep -f "sleep $marker") } -Seconds 2 -What 'the capture process to end'
        }
        finally { $run.PowerShell.Dispose() }
    }
}
