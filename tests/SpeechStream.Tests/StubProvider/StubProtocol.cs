using System.Text.Json;
using SpeechStream.Engine.Providers;

namespace SpeechStream.Tests.StubProvider;

/// <summary>
/// The stub provider's protocol adapter, written by following src/SpeechStream.Engine/Providers/README.md ("Adding a
/// provider") outside the engine, to prove that a provider is its folder plus a registration. The protocol is this
/// folder's README.md: key in header <c>X-Stub-Key</c>, binary PCM s16le in, results
/// <c>{"segment":n,"final":bool,"text":…,"start":s,"end":s}</c> (seconds), end of stream <c>{"type":"end"}</c>,
/// completion <c>{"type":"done"}</c>.
/// </summary>
internal sealed class StubProtocol : ProviderProtocol
{
    /// <summary>The stub's name: neither a real provider's nor a prefix of one.</summary>
    public const string ProviderName = "Stub";

    private static readonly ProviderDescriptor Desc = new()
    {
        Name = ProviderName,
        SeedDocument = "tests/SpeechStream.Tests/StubProvider/README.md",
        Endpoints = new[] { new ProviderEndpoint("Production", new Uri("wss://stub.invalid/v1/listen")) },
        AuthModes = new[] { "header" },
        ApiKeyVariable = "STUB_API_KEY",
        SampleRates = new[] { 16000 },
        Languages = new[] { "en", "xx-stub" },
        DefaultLanguage = "en",
        Options = new[] { new ProviderOption("shout", OptionKind.Bool, "Upper-case text (the emulator ignores it).", "false") },
        Capabilities = ProviderCapabilities.PartialResults | ProviderCapabilities.WordStartTimes | ProviderCapabilities.WordEndTimes,
        WireTimeUnit = WireTimeUnit.Seconds,
        EndOfStream = "{\"type\":\"end\"}, answered by the last finals and {\"type\":\"done\"}",
    };

    private static readonly OutgoingFrame End = OutgoingFrame.Text("{\"type\":\"end\"}");

    public override ProviderDescriptor Descriptor => Desc;

    public override CompletionMode Completion => CompletionMode.Message;

    public override Task<ConnectRequest> PrepareConnectAsync(ConnectContext context, CancellationToken cancellationToken)
    {
        var query = new List<string>();
        AddQuery(query, "language", context.Language);
        AddQuery(query, "shout", context.Option(Desc, "shout"));
        var request = new ConnectRequest { Uri = WithQuery(context.Endpoint, query) };
        request.Headers["X-Stub-Key"] = context.ApiKey.Reveal();
        return Task.FromResult(request);
    }

    public override IReadOnlyList<OutgoingFrame> EndOfStream(ConnectContext context) => new[] { End };

    public override IMessageParser CreateParser(ParserContext context) => new Parser();

    private sealed class Parser : JsonObjectParser
    {
        protected override ParsedMessage Read(JsonElement root)
        {
            if (root.TryGetProperty("type", out var type) && type.GetString() == "done") return new ParsedMessage { Complete = true };
            if (!root.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String) return ParsedMessage.Ignored;
            return ParsedMessage.Of(new ProviderResult(
                root.GetProperty("segment").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture),
                root.GetProperty("final").GetBoolean(), text.GetString()!,
                root.GetProperty("start").GetDouble(), root.GetProperty("end").GetDouble(), []));
        }
    }
}
