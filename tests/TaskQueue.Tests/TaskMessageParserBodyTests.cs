using System.Text;
using FluentAssertions;

namespace TaskQueue.Tests;

/// <summary>
/// Bodies a single-pass reader could get wrong, each read both as text (a queue message) and as UTF-8 bytes (a stored
/// body): the two must give the same task or the same reason.
/// </summary>
public class TaskMessageParserBodyTests
{
    public enum Input
    {
        Text,
        Utf8,
    }

    private const string Names = "\"entity_id\":\"d\",\"task_name\":\"t\"";

    [Theory]
    [InlineData(Input.Text)]
    [InlineData(Input.Utf8)]
    public void TryParse_DuplicateField_LastOneCounts(Input input)
    {
        var body = """{"entity_id":"first","task_name":"t","task_config":{"a":1},"entity_id":"last","task_config":{"b":2},"total_tasks":1,"total_tasks":2}""";

        Parse(input, body, out var task, out var reason).Should().BeTrue(reason);

        task!.EntityId.Should().Be("last");
        task.TaskConfig.GetRawText().Should().Be("""{"b":2}""");
        task.TotalTasks.Should().Be(2);
    }

    [Theory]
    [InlineData(Input.Text, """{"entity_id":7,"task_name":"t","entity_id":"d"}""", null)]
    [InlineData(Input.Utf8, """{"entity_id":7,"task_name":"t","entity_id":"d"}""", null)]
    [InlineData(Input.Text, """{"entity_id":"d","task_name":"t","entity_id":7}""", "field 'entity_id' must be a non-empty string, not a number")]
    [InlineData(Input.Utf8, """{"entity_id":"d","task_name":"t","entity_id":7}""", "field 'entity_id' must be a non-empty string, not a number")]
    [InlineData(Input.Text, """{"entity_id":"d","task_name":"t","task_config":{},"task_config":[1]}""", "field 'task_config' must be an object, not an array")]
    [InlineData(Input.Utf8, """{"entity_id":"d","task_name":"t","metadata":"x","metadata":{}}""", null)]
    [InlineData(Input.Text, """{"entity_id":"d","task_name":"t","timestamp":"yesterday","timestamp":null}""", null)]
    [InlineData(Input.Utf8, """{"entity_id":"d","task_name":"t","batch_id":"b","batch_id":""}""", "field 'batch_id' must be a non-empty string, not a string")]
    public void TryParse_DuplicateField_OnlyTheLastValueIsChecked(Input input, string body, string? expectedReason)
    {
        var parsed = Parse(input, body, out _, out var reason);

        parsed.Should().Be(expectedReason is null, reason);
        reason.Should().Be(expectedReason);
    }

    [Theory]
    [InlineData(Input.Text)]
    [InlineData(Input.Utf8)]
    public void TryParse_NestedConfigAndMetadata_KeptAsWritten(Input input)
    {
        const string config = """{"a":{"b":[1,{"c":[]},"x\"y"]},"d":[[],[{}],null,true,1.5e3], "e" : { } }""";
        const string metadata = """{"tenant":{"id":"acme","tags":["x","y"]}}""";
        var body = "{" + Names + ",\"task_config\":" + config + ",\"metadata\":" + metadata + "}";

        Parse(input, body, out var task, out var reason).Should().BeTrue(reason);

        task!.TaskConfig.GetRawText().Should().Be(config);
        task.TaskConfig.GetProperty("a").GetProperty("b")[1].GetProperty("c").GetArrayLength().Should().Be(0);
        task.TaskConfig.GetProperty("d")[4].GetDouble().Should().Be(1500);
        task.Metadata.GetRawText().Should().Be(metadata);
        task.Metadata.GetProperty("tenant").GetProperty("tags")[1].GetString().Should().Be("y");
    }

    [Theory]
    [InlineData(Input.Text, "{}", "{}")]
    [InlineData(Input.Utf8, "{}", "{}")]
    [InlineData(Input.Text, "{ }", "{ }")]
    [InlineData(Input.Utf8, "{\n}", "{\n}")]
    [InlineData(Input.Text, "null", "{}")]
    public void TryParse_EmptyOrNullConfig_IsAnEmptyObject(Input input, string config, string expectedRaw)
    {
        Parse(input, "{" + Names + ",\"task_config\":" + config + "}", out var task, out var reason).Should().BeTrue(reason);

        task!.TaskConfig.GetRawText().Should().Be(expectedRaw);
        task.TaskConfig.EnumerateObject().Should().BeEmpty();
        task.Metadata.GetRawText().Should().Be("{}");
    }

    [Fact]
    public void TryParse_Text_ConfigOutlivesTheParseAndLaterBodies()
    {
        TaskMessageParser.TryParse("{" + Names + ",\"task_config\":{\"keep\":\"first\"},\"metadata\":{\"m\":[1,2]}}", out var first, out _).Should().BeTrue();

        // Later bodies of the same size and larger reuse whatever buffers the first one was read through.
        for (var i = 0; i < 50; i++)
        {
            var filler = new string((char)('a' + (i % 26)), i * 37);
            TaskMessageParser.TryParse("{" + Names + ",\"task_config\":{\"keep\":\"" + filler + "\"},\"metadata\":{\"m\":[3]}}", out _, out _).Should().BeTrue();
        }

        GC.Collect();
        first!.TaskConfig.GetProperty("keep").GetString().Should().Be("first");
        first.Metadata.GetRawText().Should().Be("""{"m":[1,2]}""");
    }

    [Theory]
    [InlineData(Input.Text)]
    [InlineData(Input.Utf8)]
    public void TryParse_EscapedStrings_AreUnescaped(Input input)
    {
        var body = """{"entity\u005Fid":"doc\u002D1\n\"q\"\\\/\u00e9\uD83D\uDE00 é😀","task_name":"t\tab","batch_id":"b\u0031"}""";

        Parse(input, body, out var task, out var reason).Should().BeTrue(reason);

        task!.EntityId.Should().Be("doc-1\n\"q\"\\/é😀 é😀");
        task.TaskName.Should().Be("t\tab");
        task.BatchId.Should().Be("b1");
    }

    [Theory]
    [InlineData(Input.Text)]
    [InlineData(Input.Utf8)]
    public void TryParse_FieldNamesInsideNestedValues_AreNotTheTasksFields(Input input)
    {
        var body = """{"other":{"entity_id":"nested","task_name":7},"list":[{"task_config":1}],"task_name":"t","entity_id":"d","task_config":{"entity_id":"x","metadata":5}}""";

        Parse(input, body, out var task, out var reason).Should().BeTrue(reason);

        task!.EntityId.Should().Be("d");
        task.TaskConfig.GetProperty("entity_id").GetString().Should().Be("x");
        Parse(input, """{"other":{"entity_id":"nested"},"task_name":"t"}""", out _, out var missing).Should().BeFalse();
        missing.Should().Be("field 'entity_id' is missing");
    }

    public static TheoryData<Input, string, string> RefusedBodies => new()
    {
        // Several faults: the first in field order is reported, and invalid JSON before any of them.
        { Input.Text, """{"task_config":[1],"task_name":7}""", "field 'entity_id' is missing" },
        { Input.Utf8, """{"total_tasks":"x","metadata":1,"task_name":"t","entity_id":"d"}""", "field 'metadata' must be an object, not a number" },
        { Input.Text, """{"retry_count":true,"timestamp":7,"task_name":"t","entity_id":"d"}""", "field 'timestamp' must be an ISO-8601 time string, not a number" },
        { Input.Utf8, """{"batch_id":[],"retry_count":{},"task_name":"t","entity_id":"d"}""", "field 'retry_count' must be an integer, not an object" },
        { Input.Text, """{"task_name":7,"entity_id":"d","extra":}""", "body is not valid JSON: syntax error at byte 39" },
        { Input.Utf8, """{"task_name":null,"entity_id":"d"}""", "field 'task_name' must be a non-empty string, not null" },
        { Input.Text, """{"entity_id":"d","task_name":false}""", "field 'task_name' must be a non-empty string, not a boolean" },
        // A byte order mark, text after the object, a trailing comma or a comment make a body invalid; blank is empty.
        { Input.Text, "\uFEFF{\"entity_id\":\"d\",\"task_name\":\"t\"}", "body is not valid JSON: syntax error at byte 0" },
        { Input.Utf8, "\uFEFF{\"entity_id\":\"d\",\"task_name\":\"t\"}", "body is not valid JSON: syntax error at byte 0" },
        { Input.Text, "{\"entity_id\":\"d\",\"task_name\":\"t\"} x", "body is not valid JSON: syntax error at byte 34" },
        { Input.Utf8, "{\"entity_id\":\"d\",\"task_name\":\"t\"}{}", "body is not valid JSON: syntax error at byte 33" },
        { Input.Text, "\u00A0{\"entity_id\":\"d\",\"task_name\":\"t\"}", "body is not valid JSON: syntax error at byte 0" },
        { Input.Text, " \u2028\u00A0 ", "body is empty" },
        { Input.Utf8, " \r\n\t ", "body is empty" },
        { Input.Text, "{\"entity_id\":\"d\",\"task_name\":\"t\",}", "body is not valid JSON: syntax error at byte 33" },
        { Input.Utf8, "{\"entity_id\":\"d\",/*c*/\"task_name\":\"t\"}", "body is not valid JSON: syntax error at byte 17" },
    };

    [Theory]
    [MemberData(nameof(RefusedBodies))]
    public void TryParse_RefusedBody_ReasonSaysWhy(Input input, string body, string expectedReason)
    {
        Parse(input, body, out _, out var reason).Should().BeFalse();

        reason.Should().Be(expectedReason);
    }

    [Theory]
    [InlineData(Input.Text, "2026-11-23T10:15:30.123456+00:00", "2026-11-23T10:15:30.1234560+00:00")]
    [InlineData(Input.Utf8, "2026-11-23T10:15:30.123456+02:00", "2026-11-23T08:15:30.1234560+00:00")]
    [InlineData(Input.Text, "2026-11-23T10:15:30.123456", "2026-11-23T10:15:30.1234560+00:00")]
    [InlineData(Input.Utf8, "2026-11-23T10:15:30Z", "2026-11-23T10:15:30.0000000+00:00")]
    [InlineData(Input.Text, "2026-11-23T10\\u003A15:30-05:00", "2026-11-23T15:15:30.0000000+00:00")]
    [InlineData(Input.Utf8, "2026-11-23", "2026-11-23T00:00:00.0000000+00:00")]
    public void TryParse_Timestamp_WithOrWithoutOffsetIsUtc(Input input, string timestamp, string expectedRoundTrip)
    {
        Parse(input, "{" + Names + ",\"timestamp\":\"" + timestamp + "\"}", out var task, out var reason).Should().BeTrue(reason);

        task!.EnqueuedAt!.Value.ToString("o", System.Globalization.CultureInfo.InvariantCulture).Should().Be(expectedRoundTrip);
        task.EnqueuedAt.Value.Offset.Should().Be(TimeSpan.Zero);
    }

    [Theory]
    [InlineData(Input.Text)]
    [InlineData(Input.Utf8)]
    public void TryParse_LongTimestampString_ReadLikeAShortOne(Input input)
    {
        var padded = new string(' ', 300) + "2026-11-23T10:15:30Z" + new string(' ', 300);
        var garbage = new string('9', 700);

        Parse(input, "{" + Names + ",\"timestamp\":\"" + padded + "\"}", out var task, out var reason).Should().BeTrue(reason);
        task!.EnqueuedAt.Should().Be(new DateTimeOffset(2026, 11, 23, 10, 15, 30, TimeSpan.Zero));
        Parse(input, "{" + Names + ",\"timestamp\":\"" + garbage + "\"}", out _, out var refused).Should().BeFalse();
        refused.Should().Be("field 'timestamp' must be an ISO-8601 time string, not a string");
    }

    [Theory]
    [InlineData(Input.Text, " 10 ", 10)]
    [InlineData(Input.Utf8, "-3\n", -3)]
    [InlineData(Input.Text, "2147483647", int.MaxValue)]
    public void TryParse_TotalTasks_ReadAsAnInteger(Input input, string json, int expected)
    {
        Parse(input, "{" + Names + ",\"total_tasks\":" + json + ",\"retry_count\":0}", out var task, out var reason).Should().BeTrue(reason);

        task!.TotalTasks.Should().Be(expected);
    }

    [Theory]
    [InlineData(Input.Text, "2147483648")]
    [InlineData(Input.Utf8, "1e2")]
    [InlineData(Input.Text, "3.0")]
    [InlineData(Input.Utf8, "-0.5")]
    public void TryParse_TotalTasksNotAnInt32_IsRefused(Input input, string json)
    {
        Parse(input, "{" + Names + ",\"total_tasks\":" + json + "}", out _, out var reason).Should().BeFalse();

        reason.Should().Be("field 'total_tasks' must be an integer, not a number");
    }

    [Theory]
    [InlineData(Input.Text, "task_config")]
    [InlineData(Input.Utf8, "metadata")]
    [InlineData(Input.Text, "unknown")]
    [InlineData(Input.Utf8, "task_config")]
    public void TryParse_FieldAtTheDepthLimit_IsRead(Input input, string field)
    {
        var body = "{" + Names + ",\"" + field + "\":" + TaskMessageParserTests.Nested(MaxDepth - 1) + "}";

        Parse(input, body, out var task, out var reason).Should().BeTrue(reason);
        task!.EntityId.Should().Be("d");
    }

    [Theory]
    [InlineData(Input.Text, "metadata")]
    [InlineData(Input.Utf8, "task_config")]
    [InlineData(Input.Text, "unknown")]
    [InlineData(Input.Utf8, "unknown")]
    public void TryParse_FieldOneLevelOverTheDepthLimit_ReasonSaysTooDeep(Input input, string field)
    {
        var body = "{" + Names + ",\"" + field + "\":" + TaskMessageParserTests.Nested(MaxDepth) + "}";

        Parse(input, body, out _, out var reason).Should().BeFalse();

        reason.Should().Be($"body is not valid JSON: nested deeper than {MaxDepth} levels at byte {body.LastIndexOf('{')}");
    }

    [Theory]
    [InlineData(Input.Text)]
    [InlineData(Input.Utf8)]
    public void TryParse_ConfigAndMetadataBothAtTheDepthLimit_AreRead(Input input)
    {
        var deepest = TaskMessageParserTests.Nested(MaxDepth - 1);
        var body = "{" + Names + ",\"task_config\":" + deepest + ",\"metadata\":" + deepest + "}";

        Parse(input, body, out var task, out var reason).Should().BeTrue(reason);

        task!.TaskConfig.GetRawText().Should().Be(deepest);
        task.Metadata.GetRawText().Should().Be(deepest);
    }

    [Theory]
    [InlineData(Input.Text)]
    [InlineData(Input.Utf8)]
    public void TryParse_ArraysAtAndOverTheDepthLimit(Input input)
    {
        string Body(int levels) => "{" + Names + ",\"list\":" + new string('[', levels - 1) + new string(']', levels - 1) + "}";

        Parse(input, Body(MaxDepth), out _, out var atLimit).Should().BeTrue(atLimit);
        Parse(input, Body(MaxDepth + 1), out _, out var over).Should().BeFalse();
        over.Should().StartWith($"body is not valid JSON: nested deeper than {MaxDepth} levels at byte ");
    }

    [Theory]
    [InlineData(Input.Text)]
    [InlineData(Input.Utf8)]
    public void TryParse_WhitespaceAroundAndInside_IsIgnored(Input input)
    {
        var body = " \r\n\t{ \"entity_id\" :\t\"d\" ,\r\n \"task_name\"\n:\"t\" , \"task_config\" : {\"a\" : [ 1 , 2 ] } , \"timestamp\" : \"2026-11-23T10:15:30Z\" }\n\n ";

        Parse(input, body, out var task, out var reason).Should().BeTrue(reason);

        task!.TaskName.Should().Be("t");
        task.TaskConfig.GetRawText().Should().Be("{\"a\" : [ 1 , 2 ] }");
        task.EnqueuedAt.Should().Be(new DateTimeOffset(2026, 11, 23, 10, 15, 30, TimeSpan.Zero));
    }

    [Theory]
    [InlineData(Input.Text, "42", "Number")]
    [InlineData(Input.Utf8, "true", "True")]
    [InlineData(Input.Text, "false", "False")]
    [InlineData(Input.Utf8, " null ", "Null")]
    [InlineData(Input.Text, "[1,[2,{\"entity_id\":\"d\"}]]", "Array")]
    [InlineData(Input.Utf8, "\"text\"", "String")]
    public void TryParse_RootNotAnObject_ReasonNamesItsKind(Input input, string body, string kind)
    {
        Parse(input, body, out _, out var reason).Should().BeFalse();

        reason.Should().Be($"body is a JSON {kind}, not an object");
    }

    [Theory]
    [InlineData(Input.Text)]
    [InlineData(Input.Utf8)]
    public void TryParse_BodyThatIsAHugeString_ReasonNamesItsKindWithoutItsText(Input input)
    {
        var body = "\"" + new string('z', 2_000_000) + "\"";

        Parse(input, body, out _, out var reason).Should().BeFalse();

        reason.Should().Be("body is a JSON String, not an object");
        Parse(input, body[..^1], out _, out var unterminated).Should().BeFalse();
        unterminated.Should().Be("body is not valid JSON: syntax error at byte 0");
    }

    [Theory]
    [InlineData(Input.Text)]
    [InlineData(Input.Utf8)]
    public void TryParse_LargeConfig_ReadWhole(Input input)
    {
        var text = new string('é', 300_000);
        var body = "{" + Names + ",\"padding\":\"" + new string('p', 100_000) + "\",\"task_config\":{\"text\":\"" + text + "\"}}";

        Parse(input, body, out var task, out var reason).Should().BeTrue(reason);

        task!.TaskConfig.GetProperty("text").GetString().Should().Be(text);
    }

    [Theory]
    [InlineData(Input.Text, "entity_id")]
    [InlineData(Input.Utf8, "entity_id")]
    [InlineData(Input.Text, "task_name")]
    [InlineData(Input.Utf8, "batch_id")]
    public void TryParse_StringFieldWithAnUnpairedSurrogate_IsReportedNotThrown(Input input, string field)
    {
        var body = "{" + Names + ",\"" + field + "\":\"a\\ud800b\"}";

        Parse(input, body, out _, out var reason).Should().BeFalse();

        reason.Should().Be($"field '{field}' must be valid Unicode text, not a string with an unpaired surrogate or invalid UTF-8");
    }

    [Theory]
    [InlineData(Input.Text)]
    [InlineData(Input.Utf8)]
    public void TryParse_TimestampWithAnUnpairedSurrogate_IsReportedNotThrown(Input input)
    {
        Parse(input, "{" + Names + ",\"timestamp\":\"2026-11-23\\udc00\"}", out _, out var reason).Should().BeFalse();

        reason.Should().Be("field 'timestamp' must be an ISO-8601 time string, not a string");
    }

    [Fact]
    public void TryParse_Utf8StringFieldWithInvalidUtf8_IsReportedNotThrown()
    {
        byte[] body = [.. "{\"entity_id\":\"d"u8, 0xFF, .. "\",\"task_name\":\"t\"}"u8];

        TaskMessageParser.TryParse(body.AsMemory(), out _, out var reason).Should().BeFalse();

        reason.Should().Be("field 'entity_id' must be valid Unicode text, not a string with an unpaired surrogate or invalid UTF-8");
    }

    [Theory]
    [InlineData("{\"entity_id\":\"d", @"\uD800", "\",\"task_name\":\"t\"}", 15)]
    [InlineData("{\"entity_id\":\"d\",\"task_name\":\"t\",\"x\":\"", @"\uDC00\uD800", "\"}", 38)]
    public void TryParse_TextWithAnUnpairedSurrogate_IsReportedNotThrown(string before, string surrogatesAsEscapes, string after, int position)
    {
        // Test data cannot carry an unpaired surrogate itself (attribute values are stored as UTF-8): it is made here.
        var surrogates = System.Text.RegularExpressions.Regex.Unescape(surrogatesAsEscapes);

        TaskMessageParser.TryParse(before + surrogates + after, out _, out var reason).Should().BeFalse();

        reason.Should().Be($"body is not valid JSON: unpaired surrogate at character {position}");
    }

    [Fact]
    public void TryParse_Text_AllocatesTheTaskAndLittleElse()
    {
        const string body =
            """{"entity_id":"doc-123","task_name":"ocr","task_config":{"language":"en","pages":3},"metadata":{"tenant":"acme","organisation":"org-7"},"timestamp":"2026-11-23T10:15:30.123456+00:00","retry_count":0,"total_tasks":10}""";
        const int Runs = 100;
        var parsed = 0;
        for (var i = 0; i < Runs; i++)
        {
            parsed += TaskMessageParser.TryParse(body, out _, out _) ? 1 : 0;
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Runs; i++)
        {
            parsed += TaskMessageParser.TryParse(body, out _, out _) ? 1 : 0;
        }

        var perBody = (GC.GetAllocatedBytesForCurrentThread() - before) / Runs;

        parsed.Should().Be(2 * Runs);

        // The task, its two names and one copy of the config's and metadata's bytes, made into a document only when read
        // (that document, made at once, cost about 200 B more); a document of the whole body is about 1 KiB.
        perBody.Should().BeLessThan(400);
    }

    private const int MaxDepth = 64;

    private static bool Parse(Input input, string body, out TaskMessage? task, out string? reason) => input == Input.Text
        ? TaskMessageParser.TryParse(body, out task, out reason)
        : TaskMessageParser.TryParse(Encoding.UTF8.GetBytes(body).AsMemory(), out task, out reason);
}
