namespace SpeechStream.Engine.Sessions;

/// <summary>How one connection ended, for the supervisor.</summary>
internal enum ConnectionEndKind { Completed, Renewed, ClosedWithoutCompletion, DrainTimedOut, Transient, ProtocolError, Authentication, Refused }
