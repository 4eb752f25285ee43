namespace TaskQueue;

/// <summary>
/// Finds lone UTF-16 surrogates: text that has no UTF-8 form, which the JSON writer and SQS would silently
/// turn into U+FFFD, so two different ids or configs could arrive as one.
/// </summary>
internal static class UnicodeText
{
    /// <returns>The index of the first surrogate that is not half of a pair, or -1 when the text is well-formed.</returns>
    public static int IndexOfLoneSurrogate(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (!char.IsSurrogate(text[i]))
            {
                continue;
            }

            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            return i;
        }

        return -1;
    }

    /// <summary>Throws when <paramref name="text"/> holds a lone surrogate, naming <paramref name="what"/> and the position.</summary>
    /// <param name="text">The text to check.</param>
    /// <param name="what">Names the text in the error, e.g. "the task name of task 'x'".</param>
    /// <param name="parameterName">The argument the text came from.</param>
    public static void ThrowIfLoneSurrogate(string text, string what, string parameterName)
    {
        var index = IndexOfLoneSurrogate(text);
        if (index >= 0)
        {
            throw new ArgumentException(LoneSurrogateMessage(what, text[index], index), parameterName);
        }
    }

    public static string LoneSurrogateMessage(string what, char surrogate, int index) =>
        $"{what} holds a lone UTF-16 surrogate (U+{(int)surrogate:X4} at index {index}), which has no UTF-8 form: pass well-formed Unicode text.";
}
