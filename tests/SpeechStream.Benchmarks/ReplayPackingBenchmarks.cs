using BenchmarkDotNet.Attributes;
using SpeechStream.Engine.Audio;

/// <summary>
/// The cost of keeping replay audio packed (on demand: -- --filter '*ReplayPacking*'): packing runs once per chunk on
/// the connection writer, unpacking only when a reconnect replays or a close is read. One 100 ms chunk of 16 kHz speech
/// (3,200 bytes) from librivox-1.wav, each chunk of the clip in turn.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class ReplayPackingBenchmarks
{
    private byte[] _pcm = Array.Empty<byte>();
    private readonly byte[] _packed = new byte[LosslessPcm.MaxPackedLength(3200)];
    private readonly byte[] _back = new byte[3200];
    private int _chunk, _packedLength;

    [GlobalSetup]
    public void Setup()
    {
        _pcm = File.ReadAllBytes(Path.Combine(LoadTest.Root(), "tests", "fixtures", "audio", "librivox-1.wav")).AsSpan(44).ToArray();
        _packedLength = LosslessPcm.Pack(_pcm.AsSpan(16000, 3200), _packed);
    }

    [Benchmark]
    public int Pack()
    {
        _chunk = (_chunk + 1) % (_pcm.Length / 3200);
        return LosslessPcm.Pack(_pcm.AsSpan(_chunk * 3200, 3200), _packed);
    }

    [Benchmark]
    public void Unpack() => LosslessPcm.Unpack(_packed.AsSpan(0, _packedLength), _back);
}
