using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SpeechStream.Engine.Jobs.Batch;

/// <summary>
/// One shard of a batch spread over machines (<c>--shard K/N</c>): shard <see cref="Index"/> of <see cref="Count"/>,
/// numbered from 1 as jest and Playwright number theirs (a Kubernetes Indexed Job's <c>JOB_COMPLETION_INDEX</c> is
/// 0-based: pass <c>$((JOB_COMPLETION_INDEX + 1))/N</c>). An input belongs to the shard that the first 8 bytes of the
/// SHA-256 of its path, as given (with <c>\</c> written <c>/</c>), select modulo N: the same input lands in the same
/// shard on every machine, .NET version and run, with no coordinator; every input is in exactly one shard.
/// </summary>
public sealed record Shard(int Index, int Count)
{
    /// <summary>Parses <c>K/N</c>, 1 ≤ K ≤ N.</summary>
    /// <exception cref="AsrException">InvalidInput (ShardInvalid), naming what was expected.</exception>
    public static Shard Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int k)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n)
            && n >= 1 && k >= 1 && k <= n)
            return new Shard(k, n);
        string hint = parts.Length == 2 && parts[0] == "0"
            ? " Shards are numbered from 1; a 0-based index such as JOB_COMPLETION_INDEX needs +1: $((JOB_COMPLETION_INDEX + 1))/N."
            : "";
        throw new AsrException(AsrErrorKind.InvalidInput, "ShardInvalid",
            $"--shard '{text}' is not valid: expected K/N with 1 <= K <= N, e.g. 1/4.{hint}");
    }

    /// <summary>The shard (1-based) an input belongs to among <paramref name="count"/>.</summary>
    public static int Of(string input, int count)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(input.Replace('\\', '/')));
        ulong value = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(hash);
        return (int)(value % (ulong)count) + 1;
    }

    /// <summary>True when <paramref name="input"/> (a path, hashed with / as separator) belongs to this shard.</summary>
    public bool Includes(string input) => Of(input, Count) == Index;

    /// <summary><c>index/count</c>, as <c>--shard</c> takes it.</summary>
    public override string ToString() => $"{Index}/{Count}";
}
