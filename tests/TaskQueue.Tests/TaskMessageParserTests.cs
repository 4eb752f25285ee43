using FluentAssertions;

namespace TaskQueue.Tests;

public class TaskMessageParserTests
{
    private static readonly string Filler = new('z', 5_000);

    /// <summary>Bodies whose reader error would quote them; none of their text may reach the reason.</summary>
    public static TheoryData<string> HostileBodies => new()
    {
        """{"entity_id": nul""" + Filler + "}",
        """{"entity_id": "d", "task_name": """ + Filler,
        """{"entity_id": "d", "task_name": """ + '"' + Filler,
        Filler,
        "{" + Filler + ": 1}",
        """{"entity_id": "d", "task_name": "t", "task_config": {"k": 1""" + Filler + "}}",
        new string('[', 100) + Filler + new string(']', 100),
    };

    [Theory]
    [MemberData(nameof(HostileBodies))]
    public void TryParse_HostileBody_ReasonNamesTheErrorAndPositionWithoutBodyText(string body)
    {
        TaskMessageParser.TryParse(body, out _, out var reason).Should().BeFalse();

        reason.Should().StartWith("body is not valid JSON").And.MatchRegex(@"byte \d+");
        reason!.Length.Should().BeLessThan(100);
        reason.Should().NotContain("zz").And.NotContain("nul");
    }

    [Fact]
    public void TryParse_InvalidLiteral_ReasonGivesItsBytePosition()
    {
        TaskMessageParser.TryParse("""{"entity_id": nulx}""", out _, out var reason).Should().BeFalse();

        reason.Should().Be("body is not valid JSON: syntax error at byte 14");
    }

    [Fact]
    public void TryParse_BodyAtTheDepthLimit_IsATask()
    {
        var body = """{"entity_id":"d","task_name":"t","task_config":""" + Nested(WireFormatDepth - 1) + "}";

        TaskMessageParser.TryParse(body, out var task, out var reason).Should().BeTrue(reason);
        task!.TaskName.Should().Be("t");
    }

    [Fact]
    public void TryParse_BodyOneLevelOverTheDepthLimit_ReasonSaysTooDeep()
    {
        var body = """{"entity_id":"d","task_name":"t","task_config":""" + Nested(WireFormatDepth) + "}";

        TaskMessageParser.TryParse(body, out _, out var reason).Should().BeFalse();

        reason.Should().Be($"body is not valid JSON: nested deeper than {WireFormatDepth} levels at byte {body.LastIndexOf('{')}");
    }

    [Fact]
    public void TryParse_WrongTypedFields_ReasonNamesTheFieldNotItsValue()
    {
        var body = """{"entity_id":"d","task_name":"t","timestamp":"secret-timestamp-text"}""";

        TaskMessageParser.TryParse(body, out _, out var reason).Should().BeFalse();

        reason.Should().Be("field 'timestamp' must be an ISO-8601 time string, not a string");
    }

    /// <summary>The nesting depth the parser reads: the same limit enqueue checks configs against.</summary>
    private const int WireFormatDepth = 64;

    /// <summary>Objects nested <paramref name="levels"/> deep: <c>{"a":{"a":{}}}</c> is 3.</summary>
    internal static string Nested(int levels) =>
        string.Concat(Enumerable.Repeat("{\"a\":", levels - 1)) + "{}" + new string('}', levels - 1);
}
