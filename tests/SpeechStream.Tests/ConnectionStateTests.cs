using System.Net.WebSockets;
using Microsoft.Extensions.Logging.Abstractions;
using SpeechStream.Engine.Diagnostics;
using SpeechStream.Engine.Providers;
using SpeechStream.Engine.Sessions;

namespace SpeechStream.Tests;

/// <summary>What a <see cref="Connection"/> records, written only through its methods (a socket that never opens).</summary>
public class ConnectionStateTests
{
    private static Connection Unopened(int generation = 0) => new()
    {
        Generation = generation, Socket = new ProtocolSocket(new ClientWebSocket(), 1 << 20),
        Context = new ConnectContext
        {
            Options = new SessionOptions { Provider = "P" }, ApiKey = new Secret("k-000000"), AuthMode = "key",
            Endpoint = new Uri("ws://127.0.0.1/"), Http = new HttpClient(), Logger = NullLogger.Instance,
        },
    };

    [Fact]
    public void Before_it_begins_a_connection_has_no_parser_and_nothing_sent()
    {
        var c = Unopened();
        Assert.Throws<InvalidOperationException>(() => c.Parser);
        Assert.Equal((false, false, 0L, 0L, 0L, 0), (c.EndSent, c.Renewing, c.EndSentTicks, c.FirstAudioTicks, c.LastResultTicks, c.FinalsReceived));
    }

    [Fact]
    public void The_first_audio_counts_and_the_last_result_moves()
    {
        var c = Unopened();
        c.MarkAudioSent(100);
        c.MarkAudioSent(200);
        Assert.Equal(100, c.FirstAudioTicks);
        c.MarkResultReceived(300);
        c.MarkResultReceived(400);
        Assert.Equal(400, c.LastResultTicks);
        c.CountFinals(1);
        c.CountFinals(0);
        c.CountFinals(2);
        Assert.Equal(3, c.FinalsReceived);
    }

    [Fact]
    public void The_end_of_stream_records_when_and_whether_it_renews()
    {
        var session = Unopened();
        session.MarkEndSent(500, renewing: false);
        Assert.Equal((true, false, 500L), (session.EndSent, session.Renewing, session.EndSentTicks));
        var renewal = Unopened(1);
        renewal.MarkEndSent(600, renewing: true);
        Assert.Equal((true, true, 600L), (renewal.EndSent, renewal.Renewing, renewal.EndSentTicks));
    }

    [Fact]
    public void Begin_sets_the_parser_and_the_offset()
    {
        var c = Unopened(2);
        var parser = ProviderRegistry.Get("voxist").CreateParser(new ParserContext { Options = new SessionOptions { Provider = "voxist" }, Language = "fr" });
        c.Begin(parser, 12.5);
        Assert.Same(parser, c.Parser);
        Assert.Equal(12.5, c.OffsetSeconds);
    }
}
