using System.Text;
using System.Text.Json;
using FluentAssertions;
using Moq;
using TaskQueue.Sqs;

namespace TaskQueue.Tests;

/// <summary>What enqueue does with text: UTF-8 written as is and counted in real bytes, ill-formed text and over-deep configs refused.</summary>
public class EnqueueTextTests
{
    private readonly List<IReadOnlyList<OutgoingMessage>> _batches = [];

    public static TheoryData<string, string> Texts => new()
    {
        { "année 日本語 Кириллица <b>&' \u007f \u0085 \u2028", "année 日本語 Кириллица <b>&' \u007f \u0085 \u2028" },
        // SQS refuses U+FFFE and U+FFFF in a body, fauxqs anything beyond U+FFFF: escaped, they pass everywhere.
        { "emoji 😀 nonchar \uFFFE \uFFFF", "emoji \\uD83D\\uDE00 nonchar \\uFFFE \\uFFFF" },
        { "quote \" backslash \\ newline \n tab \t nul \0", "quote \\\" backslash \\\\ newline \\n tab \\t nul \\u0000" },
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public async Task EnqueueTasks_Text_WrittenAsUtf8EscapingOnlyWhatMustBeAndReadBack(string text, string written)
    {
        var handler = new TaskQueueHandler(TestMessages.AcceptingSqs(_batches).Object, TestMessages.Options());

        await handler.EnqueueTasksAsync(
            "doc-" + text, [new TaskSpec("t", new Dictionary<string, string> { [text] = text })], new Dictionary<string, string> { ["tenant"] = text });

        var body = _batches.Single().Single().Body;
        body.Should().Contain($"\"entity_id\":\"doc-{written}\"")
            .And.Contain($"\"task_config\":{{\"{written}\":\"{written}\"}}")
            .And.Contain($"\"metadata\":{{\"tenant\":\"{written}\"}}");
        TaskMessageParser.TryParse(body, out var task, out _).Should().BeTrue();
        task!.EntityId.Should().Be("doc-" + text);
        task.TaskConfig.GetProperty(text).GetString().Should().Be(text);
        task.Metadata.GetProperty("tenant").GetString().Should().Be(text);
    }

    [Fact]
    public async Task EnqueueTasks_NonLatinConfigNearTheLimit_FitsBecauseSizeCountsRealUtf8Bytes()
    {
        var handler = new TaskQueueHandler(TestMessages.AcceptingSqs(_batches).Object, TestMessages.Options());
        // 1,020,000 bytes of UTF-8; escaped as \uXXXX it would be twice the 1 MiB limit.
        var text = new string('語', 340_000);

        var result = await handler.EnqueueTasksAsync("doc-1", [new TaskSpec("t", new { text })]);

        result.AllSucceeded.Should().BeTrue();
        var message = _batches.Single().Single();
        Encoding.UTF8.GetByteCount(message.Body).Should().BeInRange(1_020_000, 1_048_576);
    }

    [Fact]
    public async Task EnqueueTasks_OverTheLimitInUtf8Bytes_ThrowsWithTheUtf8Size()
    {
        var sqs = new Mock<ISqsClient>(MockBehavior.Strict);
        var handler = new TaskQueueHandler(sqs.Object, TestMessages.Options(o => o.MaxMessageBytes = 1024));
        // 500 characters, 1,500 bytes: under the limit counted in characters, over it in bytes.
        var text = new string('語', 500);

        var act = () => handler.EnqueueTasksAsync("doc-1", [new TaskSpec("t", new { text })]);

        await act.Should().ThrowAsync<ArgumentException>().WithMessage("Task 't' of entity 'doc-1' is 1,???*bytes, over the 1,024-byte message limit*");
    }

    public static TheoryData<string, TaskSpec, object?, string> LoneSurrogates => new()
    {
        { "doc\ud800", new TaskSpec("t"), null, "*entityId*lone UTF-16 surrogate*" },
        { "doc-1", new TaskSpec("t\udc00"), null, "*task name*lone UTF-16 surrogate*" },
        { "doc-1", new TaskSpec("t", new { text = "ab\ud83d" }), null, "task_config of task 't'*lone UTF-16 surrogate*" },
        { "doc-1", new TaskSpec("t", new Dictionary<string, int> { ["\udc00key"] = 1 }), null, "task_config of task 't'*lone UTF-16 surrogate*" },
        { "doc-1", new TaskSpec("t"), new { tenant = "\ud800" }, "metadata*lone UTF-16 surrogate*" },
        // After a character that is escaped anyway, and after a pair: found all the same, at its place in the whole text.
        { "doc-1", new TaskSpec("t", new { text = "a\"b\ud800" }), null, "task_config of task 't'*lone UTF-16 surrogate (U+D800 at index 3)*" },
        { "doc-1", new TaskSpec("t"), new { tenant = "😀 \udc00" }, "metadata*lone UTF-16 surrogate (U+DC00 at index 3)*" },
        { "doc-1", new TaskSpec("t", JsonDocument.Parse("{\"text\": \"a\\ud800b\"}").RootElement), null, "task_config of task 't' cannot be serialized*surrogate*" },
    };

    [Theory]
    [MemberData(nameof(LoneSurrogates))]
    public async Task EnqueueTasks_LoneSurrogate_ThrowsNamingTheFieldBeforeAnyRequest(string entityId, TaskSpec task, object? metadata, string expected)
    {
        var sqs = new Mock<ISqsClient>(MockBehavior.Strict);
        var handler = new TaskQueueHandler(sqs.Object, TestMessages.Options());

        var act = () => handler.EnqueueTasksAsync(entityId, [task], metadata);

        await act.Should().ThrowAsync<ArgumentException>().WithMessage(expected);
        sqs.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task EnqueueTasks_ConfigAtTheDeepestAWorkerReads_IsSentAndReadBack()
    {
        var handler = new TaskQueueHandler(TestMessages.AcceptingSqs(_batches).Object, TestMessages.Options());

        await handler.EnqueueTasksAsync("doc-1", [new TaskSpec("t", Config(WireFormatDepth - 1))]);

        TaskMessageParser.TryParse(_batches.Single().Single().Body, out _, out var reason).Should().BeTrue(reason);
    }

    [Theory]
    [InlineData("config")]
    [InlineData("metadata")]
    public async Task EnqueueTasks_ConfigOrMetadataTooDeepForAWorker_ThrowsNamingTheTaskBeforeAnyRequest(string which)
    {
        var sqs = new Mock<ISqsClient>(MockBehavior.Strict);
        var handler = new TaskQueueHandler(sqs.Object, TestMessages.Options());
        var deep = Config(WireFormatDepth);

        var act = () => which == "config"
            ? handler.EnqueueTasksAsync("doc-1", [new TaskSpec("t", deep)])
            : handler.EnqueueTasksAsync("doc-1", [new TaskSpec("t")], deep);

        await act.Should().ThrowAsync<ArgumentException>().WithMessage(
            which == "config" ? "task_config of task 't' nests deeper than 63 levels*" : "metadata nests deeper than 63 levels*");
        sqs.VerifyNoOtherCalls();
    }

    private const int WireFormatDepth = 64;

    private static JsonElement Config(int levels)
    {
        using var document = JsonDocument.Parse(TaskMessageParserTests.Nested(levels), new JsonDocumentOptions { MaxDepth = 1000 });
        return document.RootElement.Clone();
    }
}
