using System.Globalization;

namespace TaskQueue;

/// <summary>
/// The form of one SNS query-protocol request: <c>Action</c>, <c>Version</c> and the action's parameters, with maps
/// flattened as SNS reads them (<c>Attributes.entry.N.key</c>/<c>.value</c>, <c>MessageAttributes.entry.N.Name</c>/
/// <c>.Value.DataType</c>/<c>.Value.StringValue</c>, N counted from 1).
/// </summary>
internal sealed class SnsRequest
{
    /// <summary>The media type of the body, as signed and sent.</summary>
    public const string ContentType = "application/x-www-form-urlencoded; charset=utf-8";

    private const string ApiVersion = "2010-03-31";

    private readonly List<KeyValuePair<string, string>> _parameters = [];

    public SnsRequest(string action)
    {
        Action = action;
        Add("Action", action).Add("Version", ApiVersion);
    }

    /// <summary>The action, e.g. <c>Publish</c>: its response's result element is <c>{Action}Result</c>.</summary>
    public string Action { get; }

    /// <summary>The parameters in the order added.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters => _parameters;

    public SnsRequest Add(string name, string value)
    {
        _parameters.Add(new(name, value));
        return this;
    }

    /// <summary>Adds a string-to-string map such as a topic's or a subscription's attributes.</summary>
    public SnsRequest AddMap(string name, IEnumerable<KeyValuePair<string, string>> entries)
    {
        var n = 0;
        foreach (var (key, value) in entries)
        {
            var prefix = string.Create(CultureInfo.InvariantCulture, $"{name}.entry.{++n}");
            Add(prefix + ".key", key).Add(prefix + ".value", value);
        }

        return this;
    }

    /// <summary>Adds message attributes of DataType <c>String</c>.</summary>
    public SnsRequest AddMessageAttributes(IEnumerable<KeyValuePair<string, string>> attributes)
    {
        var n = 0;
        foreach (var (key, value) in attributes)
        {
            var prefix = string.Create(CultureInfo.InvariantCulture, $"MessageAttributes.entry.{++n}");
            Add(prefix + ".Name", key).Add(prefix + ".Value.DataType", "String").Add(prefix + ".Value.StringValue", value);
        }

        return this;
    }

    /// <summary>The body: each name and value percent-encoded as SigV4 encodes them, joined with <c>=</c> and <c>&amp;</c>.</summary>
    public string Encode() => string.Join('&', _parameters.Select(p => $"{SigV4Signer.Encode(p.Key)}={SigV4Signer.Encode(p.Value)}"));
}
