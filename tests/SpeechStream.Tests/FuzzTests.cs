using System.Text;
using SpeechStream.Engine;
using SpeechStream.Engine.Audio;
using SpeechStream.Engine.Providers;
using SpeechStream.Engine.Sessions;

namespace SpeechStream.Tests;

/// <summary>
/// Random mutation tests. Cases per target: SPEECHSTREAM_FUZZ_CASES (default 3000 in CI; run 100000 on
/// demand: SPEECHSTREAM_FUZZ_CASES=100000 dotnet test --filter FuzzTests). Only the project's documented exceptions
/// may escape (AsrException and its AudioFormatException), nothing may hang, and no case may allocate without bound.
/// Deterministic: a failure names the case's seed. Runs alone (allocation is measured process-wide).
/// </summary>
[Collection("Environment")]
public class FuzzTests
{
    private static int Cases => int.TryParse(Environment.GetEnvironmentVariable("SPEECHSTREAM_FUZZ_CASES"), out var n) && n > 0 ? n : 3000;
    private const long MaxBytesPerCase = 64L << 20;
    private static readonly TimeSpan MaxTimePerCase = TimeSpan.FromSeconds(10);

    private static readonly string[] WavSeeds =
        { "librivox-2.wav", "variant-48k-s24.wav", "variant-8k-mulaw.wav", "variant-44k1-stereo-f32.wav", "call-stereo-8k-mulaw.wav", "variant-22k05-u8.wav" };

    private static byte[] Mutate(Random rng, byte[] seed)
    {
        var b = new List<byte>(seed);
        int ops = rng.Next(1, 5);
        for (int o = 0; o < ops && b.Count > 0; o++)
        {
            switch (rng.Next(6))
            {
                case 0: // flip bytes, mostly in the header
                    for (int i = rng.Next(1, 9); i > 0; i--) b[rng.Next(Math.Min(b.Count, rng.Next(2) == 0 ? 80 : b.Count))] ^= (byte)rng.Next(1, 256);
                    break;
                case 1: // an extreme 32-bit or 16-bit value in a header field
                {
                    int at = rng.Next(0, Math.Max(1, Math.Min(b.Count - 4, 76)));
                    uint v = new uint[] { 0, 1, 2, 0x7FFFFFFF, 0xFFFFFFFF, 0xFFFE, 65535, 768001, (uint)rng.Next() }[rng.Next(9)];
                    int width = rng.Next(2) == 0 ? 4 : 2;
                    for (int i = 0; i < width && at + i < b.Count; i++) b[at + i] = (byte)(v >> (8 * i));
                    break;
                }
                case 2: // truncate
                {
                    int keep = rng.Next(b.Count);
                    b.RemoveRange(keep, b.Count - keep);
                    break;
                }
                case 3: // insert random bytes
                {
                    int at = rng.Next(b.Count);
                    var junk = new byte[rng.Next(1, 64)];
                    rng.NextBytes(junk);
                    b.InsertRange(at, junk);
                    break;
                }
                case 4: // duplicate a slice (repeated chunks)
                {
                    int at = rng.Next(b.Count), len = rng.Next(1, Math.Min(64, b.Count - at) + 1);
                    b.InsertRange(rng.Next(b.Count), b.GetRange(at, Math.Min(len, b.Count - at)));
                    break;
                }
                default: // a chunk id from the RIFF vocabulary
                {
                    var ids = new[] { "fmt ", "data", "LIST", "fact", "RIFF", "WAVE", "\0\0\0\0" };
                    var id = Encoding.ASCII.GetBytes(ids[rng.Next(ids.Length)]);
                    int at = rng.Next(0, Math.Max(1, Math.Min(b.Count - 4, 80)));
                    for (int i = 0; i < 4 && at + i < b.Count; i++) b[at + i] = id[i];
                    break;
                }
            }
        }
        return b.ToArray();
    }

    private static async Task<int> DecodeAll(byte[] bytes, CancellationToken ct)
    {
        await using var conv = new PcmConverter(await WavReader.FromStreamAsync(new MemoryStream(bytes), "fuzz.wav", false, ct), 16000);
        var buf = new byte[3200];
        int total = 0, n;
        while ((n = await conv.ReadPcm16Async(buf, ct)) > 0) total += n;
        return total;
    }

    [Fact]
    public async Task The_wav_reader_refuses_mutated_files_only_with_its_own_errors()
    {
        var seeds = WavSeeds.Select(f => File.ReadAllBytes(Fixtures.Audio(f)).Take(24_000).ToArray()).ToArray();
        int refused = 0;
        for (int i = 0; i < Cases; i++)
        {
            var rng = new Random(i);
            var input = Mutate(rng, seeds[rng.Next(seeds.Length)]);
            long before = GC.GetTotalAllocatedBytes();
            using var cts = new CancellationTokenSource(MaxTimePerCase);
            try { await DecodeAll(input, cts.Token).WaitAsync(MaxTimePerCase); }
            catch (AsrException) { refused++; }
            catch (TimeoutException) { Assert.Fail($"case {i}: hung for {MaxTimePerCase.TotalSeconds} s"); }
            catch (Exception e) { Assert.Fail($"case {i}: {e.GetType().Name} escaped: {e.Message}"); }
            long used = GC.GetTotalAllocatedBytes() - before;
            Assert.True(used < MaxBytesPerCase, $"case {i}: allocated {used / (1 << 20)} MB");
        }
        Assert.InRange(refused, 1, Cases - 1); // the mutations both break and keep files
    }

    private static readonly Dictionary<string, string[]> MessageSeeds = new()
    {
        ["Voxist"] = new[]
        {
            """{"text":" Ceci est un test","transcript":" Ceci est un test","type":"final","startedAt":0,"segment":0,"elements":{"segments":[{"text":" Ceci est un test","type":"segment","startedAt":0,"segment":0}],"words":[{"text":"Ceci","type":"word","startedAt":1.28,"segment":0},{"text":"test","type":"word","startedAt":2.32,"segment":0}]}}""",
            """{"status":"connected"}""", """{"type":"error","message":"boom"}""",
        },
        ["IApp"] = new[]
        {
            """{"type":"realtime","state":"Sentence","text":"สวัสดีครับ "}""", """{"type":"realtime","state":"NewSentence","text":"ผมเสียง"}""",
            """{"type":"realtime","text":"end_of_process"}""",
        },
        ["Smallest"] = new[]
        {
            """{"session_id":"s","transcript":"Hello, how are you?","full_transcript":"Hello","is_final":true,"is_last":false,"language":"en","words":[{"word":"Hello,","start":0.0,"end":0.5,"confidence":0.98,"speaker":1}]}""",
            """{"session_id":"s","transcript":"I am","is_final":false,"is_last":false,"word_timestamps":[{"word":"I","start":1.6,"end":1.7}]}""",
            """{"status":"error","error":{"message":"Invalid audio","code":"invalid_audio"}}""",
        },
        ["VoxNexus"] = new[]
        {
            """{"type":"transcript","request_id":"r","text":"Hello, this is a test message.","is_final":true,"language":"en-US","confidence":0.95,"offset":0,"duration":2500,"words":[{"word":"hello","offset":0,"duration":500,"confidence":0.98}]}""",
            """{"type":"flush_done","request_id":"r"}""", """{"type":"error","error":"Invalid audio format","code":"UNSUPPORTED_FORMAT","request_id":"r"}""",
        },
        ["Speechall"] = new[]
        {
            """{"id":"123e4567","text":"Hello, this is a test","language":"en","words":[{"word":"Hello","start":0.0,"end":0.5,"confidence":0.98}],"segments":[{"start":0,"end":1,"text":"x","speaker":"A"}]}""",
            "Hello, this is a test", """{"message":"No credit","code":"payment_required"}""",
        },
    };

    private static readonly string[] JsonBits = { "null", "true", "1e308", "-1", "NaN", "\"\"", "[]", "{}", "[[[[[[[[]]]]]]]]", "\"\\ud800\"", "18446744073709551616", "0.1" };

    private static string MutateText(Random rng, string seed)
    {
        var s = new StringBuilder(seed);
        for (int o = rng.Next(1, 4); o > 0; o--)
        {
            if (s.Length == 0) s.Append('{');
            int at = rng.Next(s.Length);
            switch (rng.Next(5))
            {
                case 0: s[at] = (char)rng.Next(0, 0x3000); break;
                case 1: s.Remove(at, rng.Next(1, Math.Min(20, s.Length - at) + 1)); break;
                case 2: s.Insert(at, JsonBits[rng.Next(JsonBits.Length)]); break;
                case 3: // replace the value after a colon with another JSON kind
                {
                    int colon = seed.IndexOf(':', rng.Next(seed.Length));
                    if (colon > 0 && colon < s.Length - 1) s.Insert(colon + 1, JsonBits[rng.Next(JsonBits.Length)] + ",\"x\":");
                    break;
                }
                default: s.Insert(at, new string('[', rng.Next(1, 200))); break;
            }
        }
        return s.ToString();
    }

    [Fact]
    public void Every_parser_takes_mutated_frames_without_throwing()
    {
        foreach (var protocol in ProviderRegistry.All)
        {
            var seeds = MessageSeeds[protocol.Name];
            var parser = protocol.CreateParser(new ParserContext
            {
                Options = new SessionOptions { Provider = protocol.Name }, Language = protocol.Descriptor.DefaultLanguage ?? "",
            });
            for (int i = 0; i < Cases; i++)
            {
                var rng = new Random(i);
                string frame = MutateText(rng, seeds[rng.Next(seeds.Length)]);
                long before = GC.GetTotalAllocatedBytes();
                try
                {
                    var m = parser.ParseText(frame);
                    foreach (var r in m.Results) Assert.NotNull(r.Text);
                }
                catch (Exception e) { Assert.Fail($"{protocol.Name} case {i}: {e.GetType().Name} escaped the parser: {e.Message}\n{frame}"); }
                Assert.True(GC.GetTotalAllocatedBytes() - before < MaxBytesPerCase, $"{protocol.Name} case {i}: unbounded allocation");
            }
        }
    }

    [Fact]
    public void An_exotic_rate_uses_a_bounded_filter_table()
    {
        Assert.Equal(44100, PolyphaseResampler.TableRate(44099, 16000));
        Assert.Equal(768000, PolyphaseResampler.TableRate(767999, 16000));
        Assert.Equal(44100, PolyphaseResampler.TableRate(44100, 16000));
        long before = GC.GetTotalAllocatedBytes();
        var r = new PolyphaseResampler(767_999, 16000);
        Assert.True(GC.GetTotalAllocatedBytes() - before < MaxBytesPerCase);
        Assert.True(r.TapsPerPhase > 0);
    }
}
