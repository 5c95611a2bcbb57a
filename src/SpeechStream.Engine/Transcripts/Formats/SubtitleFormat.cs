namespace SpeechStream.Engine.Transcripts.Formats;

/// <summary>The subtitle formats: SubRip (<c>00:00:01,000</c>) and WebVTT (<c>00:00:01.000</c>, a <c>WEBVTT</c>
/// header, speakers as voice spans).</summary>
public enum SubtitleFormat
{
    /// <summary>SubRip: <c>00:00:01,000 --&gt; 00:00:02,500</c>.</summary>
    Srt,
    /// <summary>WebVTT: a <c>WEBVTT</c> header, <c>00:00:01.000</c>, speakers as voice spans.</summary>
    Vtt,
}
