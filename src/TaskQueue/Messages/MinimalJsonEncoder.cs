using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace TaskQueue;

/// <summary>
/// Writes text as UTF-8 and escapes only what must be: <c>"</c>, <c>\</c> and control characters (JSON),
/// U+FFFE and U+FFFF (SQS refuses them in a body), and characters beyond U+FFFF (AWS takes them, but SQS-compatible
/// servers such as fauxqs refuse them, and escaped they pass everywhere). The built-in encoders escape every
/// non-ASCII character as <c>\uXXXX</c>, six bytes a character, which made non-Latin configs hit the 1 MiB message
/// limit at a third of it; bodies are never embedded in HTML, so their HTML-safe escapes buy nothing. A lone
/// surrogate throws instead of becoming U+FFFD: two different texts must not reach the queue as one.
/// </summary>
internal sealed class MinimalJsonEncoder : JavaScriptEncoder
{
    private static readonly SearchValues<char> Escaped = SearchValues.Create(CharactersToEscape());

    private MinimalJsonEncoder()
    {
    }

    public static MinimalJsonEncoder Instance { get; } = new();

    /// <summary>\uXXXX, the longest escape of one UTF-16 character.</summary>
    public override int MaxOutputCharactersPerInputCharacter => 6;

    public override bool WillEncode(int unicodeScalar) => unicodeScalar is < 0x20 or '"' or '\\' or 0xFFFE or 0xFFFF or > 0xFFFF;

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        var span = new ReadOnlySpan<char>(text, textLength);
        var first = span.IndexOfAny(Escaped);
        if (first < 0)
        {
            // Every surrogate is escaped: a text with nothing to escape has none, so none alone.
            return first;
        }

        // Checked over the rest of the text: past the first escape the base encoder would replace a lone surrogate unseen.
        var loneSurrogate = UnicodeText.IndexOfLoneSurrogate(span[first..]);
        if (loneSurrogate >= 0)
        {
            loneSurrogate += first;
            throw new ArgumentException(UnicodeText.LoneSurrogateMessage("a string", span[loneSurrogate], loneSurrogate));
        }

        return first;
    }

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        var destination = new Span<char>(buffer, bufferLength);
        var rune = new Rune(unicodeScalar);
        if (!WillEncode(unicodeScalar))
        {
            return rune.TryEncodeToUtf16(destination, out numberOfCharactersWritten);
        }

        var escape = unicodeScalar switch
        {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            _ => null,
        };
        if (escape is not null)
        {
            numberOfCharactersWritten = escape.TryCopyTo(destination) ? escape.Length : 0;
            return numberOfCharactersWritten > 0;
        }

        // \uXXXX for each UTF-16 unit: one for a BMP character, a surrogate pair beyond it.
        Span<char> units = stackalloc char[2];
        var count = rune.EncodeToUtf16(units);
        numberOfCharactersWritten = 0;
        if (destination.Length < count * 6)
        {
            return false;
        }

        foreach (var unit in units[..count])
        {
            destination[numberOfCharactersWritten++] = '\\';
            destination[numberOfCharactersWritten++] = 'u';
            ((int)unit).TryFormat(destination[numberOfCharactersWritten..], out var written, "X4", CultureInfo.InvariantCulture);
            numberOfCharactersWritten += written;
        }

        return true;
    }

    /// <summary>The UTF-16 units that start an escape: those of <see cref="WillEncode"/>, and every surrogate (only pairs get this far).</summary>
    private static string CharactersToEscape()
    {
        var characters = new StringBuilder("\"\\\uFFFE\uFFFF");
        for (var c = '\0'; c < ' '; c++)
        {
            characters.Append(c);
        }

        for (var c = '\uD800'; c <= '\uDFFF'; c++)
        {
            characters.Append(c);
        }

        return characters.ToString();
    }
}
