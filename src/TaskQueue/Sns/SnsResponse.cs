using System.Net;
using System.Xml;
using System.Xml.Linq;

namespace TaskQueue;

/// <summary>
/// Reads SNS's XML answers: <c>&lt;{Action}Response&gt;&lt;{Action}Result&gt;...</c> on success,
/// <c>&lt;ErrorResponse&gt;&lt;Error&gt;&lt;Code/&gt;&lt;Message/&gt;</c> on failure. Elements are matched by local
/// name, so the namespace (and its absence on compatible servers) does not matter.
/// </summary>
internal static class SnsResponse
{
    /// <summary>The result element of a successful answer; throws the <see cref="SnsRequestException"/> an error answer calls for.</summary>
    /// <param name="action">The action asked for.</param>
    /// <param name="target">The topic ARN or name, for the error message.</param>
    /// <param name="status">The HTTP status.</param>
    /// <param name="body">The answer's body.</param>
    public static XElement Result(string action, string target, HttpStatusCode status, string body)
    {
        var root = Parse(body);
        if ((int)status is >= 200 and < 300)
        {
            return root?.Name.LocalName == action + "Response" && Child(root, action + "Result") is { } result
                ? result
                : throw SnsErrors.FromAnswer(action, target, status, null, $"a {(root is null ? "body that is not XML" : $"<{root.Name.LocalName}> answer")} instead of <{action}Response>");
        }

        var error = root is null ? null : root.Name.LocalName == "Error" ? root : Child(root, "Error");
        var code = error is null ? null : Child(error, "Code")?.Value.Trim();
        var message = error is null ? null : Child(error, "Message")?.Value;
        throw SnsErrors.FromAnswer(
            action,
            target,
            status,
            string.IsNullOrEmpty(code) ? null : code,
            message is null ? (root is null ? "a body that is not XML" : "no error message") : SnsErrors.OneLine(message));
    }

    /// <summary>The text of a child of the result, e.g. <c>TopicArn</c>; throws when the answer lacks it.</summary>
    public static string Text(XElement result, string name, string action, string target) =>
        Child(result, name)?.Value.Trim() is { Length: > 0 } value
            ? value
            : throw SnsErrors.FromAnswer(action, target, HttpStatusCode.OK, null, $"an answer without <{name}>");

    private static XElement? Child(XElement parent, string localName) =>
        parent.Elements().FirstOrDefault(e => e.Name.LocalName == localName);

    private static XElement? Parse(string body)
    {
        try
        {
            return XDocument.Parse(body).Root;
        }
        catch (XmlException)
        {
            return null;
        }
    }
}
