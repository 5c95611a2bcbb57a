using System.Globalization;

namespace SpeechStream.Engine.Transcripts.Formats;

/// <summary>The subtitle formats: SubRip (<c>00:00:01,000</c>) and WebVTT (<c>00:00:01.000</c>, a <c>WEBVTT</c>
/// header, speakers as voice spans).</summary>
public enum SubtitleFormat { Srt, Vtt }
