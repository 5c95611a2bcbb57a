using System.Text.Json;

namespace SpeechStream.Engine.Providers;

/// <summary>JSON helpers that never throw: not on a wrong type, and not on text that is valid JSON but not valid
/// UTF-16 (a lone surrogate escape in a value or a property name, which System.Text.Json refuses with an exception
/// when the text is read or compared; found by the fuzz tests).</summary>
public static class Json
{
    private static bool TryGet(JsonElement e, string name, JsonValueKind kind, out JsonElement value)
    {
        value = default;
        if (e.ValueKind != JsonValueKind.Object) return false;
        try { return e.TryGetProperty(name, out value) && value.ValueKind == kind; }
        catch (InvalidOperationException) { return false; }
    }

    /// <summary>The string property <paramref name="name"/> of an object, or null when it is absent, not a string, or
    /// not valid UTF-16.</summary>
    public static string? Str(this JsonElement e, string name)
    {
        if (!TryGet(e, name, JsonValueKind.String, out var v)) return null;
        try { return v.GetString(); }
        catch (InvalidOperationException) { return null; }
    }

    /// <summary>The number property <paramref name="name"/> as a double, or null when it is absent, not a number, or not
    /// finite. The unit is the provider's (seconds or milliseconds: see its notes).</summary>
    public static double? Num(this JsonElement e, string name) =>
        TryGet(e, name, JsonValueKind.Number, out var v) && v.TryGetDouble(out var d) && double.IsFinite(d) ? d : null;

    /// <summary>The boolean property <paramref name="name"/>, or null when it is absent or not <c>true</c>/<c>false</c>.</summary>
    public static bool? Bool(this JsonElement e, string name) =>
        TryGet(e, name, JsonValueKind.True, out _) ? true : TryGet(e, name, JsonValueKind.False, out _) ? false : null;

    /// <summary>The object property <paramref name="name"/>, or null when it is absent or not an object.</summary>
    public static JsonElement? Obj(this JsonElement e, string name) =>
        TryGet(e, name, JsonValueKind.Object, out var v) ? v : null;

    /// <summary>A string, or a number written as text (Smallest's <c>speaker</c> is an int in one spec and a string in another).</summary>
    public static string? StrOrNum(this JsonElement e, string name) =>
        TryGet(e, name, JsonValueKind.Number, out var n) ? n.GetRawText() : e.Str(name);

    /// <summary>The elements of the array property <paramref name="name"/>; none when it is absent or not an array.</summary>
    public static IEnumerable<JsonElement> Arr(this JsonElement e, string name) =>
        TryGet(e, name, JsonValueKind.Array, out var v) ? v.EnumerateArray() : Enumerable.Empty<JsonElement>();
}
