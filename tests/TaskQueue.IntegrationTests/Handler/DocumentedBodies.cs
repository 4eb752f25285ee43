namespace TaskQueue.IntegrationTests.Handler;

/// <summary>Bodies another producer (boto3, a Node service, the AWS CLI) sends in the documented wire format.</summary>
internal static class DocumentedBodies
{
    /// <summary>Every documented field, as the Python reference handler writes them.</summary>
    public const string Full = """
        {"entity_id":"doc-9","task_name":"yearBuilt","task_config":{"source":"deed","year_hint":1901},"metadata":{"tenant":"acme","org_id":7},"timestamp":"2026-11-23T10:15:30.123456+00:00","retry_count":0,"total_tasks":3}
        """;

    /// <summary>The enqueue time in <see cref="Full"/>.</summary>
    public static readonly DateTimeOffset FullTimestamp = new DateTimeOffset(2026, 11, 23, 10, 15, 30, TimeSpan.Zero).AddTicks(1_234_560);

    /// <summary>Only the two required fields.</summary>
    public const string Minimal = """{"entity_id":"doc-min","task_name":"ocr"}""";

    /// <summary>Documented fields plus fields a newer producer might add; the latter are ignored.</summary>
    public const string WithUnknownFields = """
        {"schema_version":2,"entity_id":"doc-new","task_name":"classify","priority":"high","task_config":{"labels":["a","b"]},"trace":{"id":"abc","sampled":true},"retry_count":1,"total_tasks":1,"extra":null}
        """;
}
