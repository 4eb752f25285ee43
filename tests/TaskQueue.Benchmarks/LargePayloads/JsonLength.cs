using System.Runtime.InteropServices;
using System.Text.Json;

namespace TaskQueue.Benchmarks.LargePayloads;

/// <summary>The length of a JSON string of ASCII text, read without making a string of it: the handler's own copy would hide what the library holds.</summary>
internal static class JsonLength
{
    public static int Of(JsonElement text) => JsonMarshal.GetRawUtf8Value(text).Length - 2;
}
