namespace TaskQueue.TestSupport;

/// <summary>Reads a local server's endpoint from the variable <c>bash tests/run.sh</c> exports: tests never skip silently.</summary>
public static class TestEndpoints
{
    /// <summary>The http(s) URL in <paramref name="variable"/>.</summary>
    /// <param name="variable">The environment variable, e.g. <c>TASKQUEUE_SQS_ENDPOINT</c>.</param>
    /// <param name="service">What it points at, e.g. <c>SQS</c>.</param>
    /// <param name="example">An example URL for the message.</param>
    /// <exception cref="InvalidOperationException">The variable is missing or not an http(s) URL.</exception>
    public static Uri FromVariable(string variable, string service, string example)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException(
                $"{variable} is not set: run the tests with `bash tests/run.sh`, which starts the local {service} server, or point it at a compatible {service} endpoint.");
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var endpoint) || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
        {
            throw new InvalidOperationException(
                $"{variable} is '{value}', not an http(s) URL: set it to the {service} endpoint, e.g. {example}, or unset it and run `bash tests/run.sh`.");
        }

        return endpoint;
    }
}
