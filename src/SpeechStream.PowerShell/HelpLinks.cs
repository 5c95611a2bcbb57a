namespace SpeechStream.PowerShell;

/// <summary>Where <c>Get-Help -Online</c> goes for every cmdlet (each cmdlet's <c>HelpUri</c>, also the first related
/// link of its MAML help): the PowerShell section of the README in the project's home, the manifest's ProjectUri.</summary>
internal static class HelpLinks
{
    public const string Online = "https://github.com/speechstream/speechstream#powershell";
}
