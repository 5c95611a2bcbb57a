using System.Text.Encodings.Web;
using System.Text.Json;

namespace SpeechStream.CodeMetrics.Reports;

/// <summary>Writes a <see cref="MetricsReport"/> as indented camel-case JSON for scripts (every list in full).</summary>
public static class JsonReport
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes the report and a final newline.</summary>
    public static void Write(MetricsReport report, TextWriter output) =>
        output.WriteLine(JsonSerializer.Serialize(report, Options));
}
