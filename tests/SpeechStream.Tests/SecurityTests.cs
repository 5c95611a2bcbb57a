using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using SpeechStream.Emulator;
using SpeechStream.Engine;
using SpeechStream.Engine.Diagnostics;
using SpeechStream.Engine.Providers;
using SpeechStream.Engine.Providers.Voxist;
using SpeechStream.Engine.Sessions;

namespace SpeechStream.Tests;

/// <summary>The key never follows a redirect to another origin, never travels over a downgraded scheme, and
/// is masked in every encoding a server might echo it back in.</summary>
public class SecurityTests
{
    [Fact]
    public async Task The_token_request_refuses_a_redirect_to_another_origin_and_the_key_never_reaches_it()
    {
        await using var elsewhere = EmulatorServer.Start("Voxist");
        await using var server = Harness.Server("Voxist", "librivox-2.wav",
            o => o.VoxistTokenRedirect = new Uri($"http://127.0.0.1:{elsewhere.Port}/websocket?engine=voxist-rt-2&redirected=1"));
        var e = await Assert.ThrowsAsync<AsrException>(() => Harness.RunAsync(Harness.Options(server, language: "en"), "librivox-2.wav"));
        Assert.Equal("TokenRedirectRefused", e.ErrorId);
        Assert.Contains($"127.0.0.1:{elsewhere.Port}", e.Message);
        Assert.Empty(elsewhere.Requests); // not even asked
        Assert.Contains(server.Requests, r => r.Contains("-> 302"));
    }

    [Fact]
    public async Task A_redirect_on_the_same_origin_is_followed()
    {
        var options = new EmulatorOptions { Script = TranscriptScript.Load(Fixtures.Audio("librivox-2.json")) };
        await using var server = EmulatorServer.Start("Voxist", options);
        options.VoxistTokenRedirect = new Uri($"http://127.0.0.1:{server.Port}/websocket?engine=voxist-rt-2&redirected=1");
        var (_, summary) = await Harness.RunAsync(Harness.Options(server, language: "en"), "librivox-2.wav");
        Assert.True(summary.IsWhole);
        Assert.Equal(new[] { "GET /websocket -> 302", "GET /websocket -> 200" }, server.Requests.Where(r => r.StartsWith("GET /websocket")).ToArray());
    }

    /// <summary>An https token endpoint that redirects to http: refused before the key goes out in clear.</summary>
    [Fact]
    public async Task The_token_request_never_downgrades_https_to_http()
    {
        var handler = new RecordingHandler(req => req.RequestUri!.Scheme == "https"
            ? new HttpResponseMessage(HttpStatusCode.Found) { Headers = { Location = new Uri("http://api-asr.voxist.com/websocket?engine=voxist-rt-2") } }
            : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{\"url\":\"ws://api-asr.voxist.com/ws?token=t\"}") });
        var context = new ConnectContext
        {
            Options = new SessionOptions { Provider = "Voxist", Language = "en" }, ApiKey = new Secret("sk-downgrade-123456"), AuthMode = "token",
            Endpoint = new Uri("wss://api-asr.voxist.com/ws"), Http = new HttpClient(handler), Logger = NullLogger.Instance,
        };
        var e = await Assert.ThrowsAsync<AsrException>(() => new VoxistProtocol().PrepareConnectAsync(context, CancellationToken.None));
        Assert.Equal("TokenRedirectRefused", e.ErrorId);
        Assert.Equal(new[] { "https" }, handler.Schemes); // the http request was never made
    }

    [Fact]
    public void Same_origin_means_scheme_host_and_port()
    {
        var from = new Uri("https://api-asr.voxist.com/websocket");
        Assert.True(VoxistProtocol.SameOrigin(from, new Uri("https://API-ASR.voxist.com/other")));
        Assert.False(VoxistProtocol.SameOrigin(from, new Uri("http://api-asr.voxist.com/websocket")));
        Assert.False(VoxistProtocol.SameOrigin(from, new Uri("https://api-asr.voxist.com:8443/websocket")));
        Assert.False(VoxistProtocol.SameOrigin(from, new Uri("https://evil.example/websocket")));
    }

    public static TheoryData<string, string> Encoded()
    {
        const string key = "sk_live_Ab+c/d=e&f 0123456789";
        var b = Encoding.UTF8.GetBytes(key);
        static string B64Url(byte[] x) => Convert.ToBase64String(x).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return new TheoryData<string, string>
        {
            { key, key },
            { key, Convert.ToBase64String(b) },
            { key, B64Url(b) },
            { key, Convert.ToBase64String(Encoding.UTF8.GetBytes("user:" + key)) },  // inside a larger encoded value
            { key, B64Url(Encoding.UTF8.GetBytes("Bearer " + key + "!")) },
            { key, Uri.EscapeDataString(key) },
            { key, WebUtility.UrlEncode(key) },
            { key, Convert.ToHexString(b) },
            { key, Convert.ToHexString(b).ToLowerInvariant() },
        };
    }

    [Theory]
    [MemberData(nameof(Encoded))]
    public void A_key_is_masked_raw_and_encoded_wherever_it_sits(string key, string form)
    {
        _ = new Secret(key);
        string shown = SecretRedactor.Redact($"server said: invalid credential [{form}] (code 401)");
        Assert.Contains("***", shown);
        Assert.DoesNotContain(form.Length > 12 ? form[4..^4] : form, shown);
        Assert.StartsWith("server said: invalid credential [", shown);
    }

    [Fact]
    public void Ordinary_words_are_not_masked_by_short_keys()
    {
        _ = new Secret("right"); // shorter than any real key: not registered
        Assert.Equal("left, right or split", SecretRedactor.Redact("left, right or split"));
    }

    /// <summary>A server that echoes the key base64-encoded in its close reason: the error never shows it.</summary>
    [Fact]
    public async Task A_key_echoed_back_base64_in_a_close_reason_is_masked_in_the_error()
    {
        const string key = "sk-echo-0123456789abcdef";
        string echoed = Convert.ToBase64String(Encoding.UTF8.GetBytes(key));
        await using var server = Harness.Server("Smallest", "librivox-2.wav", o => o.Faults.CloseAfterUpgradeReason = $"Invalid API key {echoed}");
        var e = await Assert.ThrowsAsync<AsrException>(() => Harness.RunAsync(Harness.Options(server, key: key), "librivox-2.wav"));
        Assert.Equal(AsrErrorKind.Authentication, e.Kind);
        Assert.DoesNotContain(echoed, e.ToString());
        Assert.DoesNotContain(key, e.ToString());
        Assert.Contains("Invalid API key ***", e.Message);
    }

    private sealed class RecordingHandler(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        public List<string> Schemes { get; } = new();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Schemes.Add(request.RequestUri!.Scheme);
            return Task.FromResult(answer(request));
        }
    }
}
