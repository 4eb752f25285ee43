using FluentAssertions;
using TaskQueue.Sqs;

namespace TaskQueue.Tests.Outcomes;

/// <summary>
/// A dead-letter copy names its task in attributes even when the receive asked only for the few a run reads: entity and
/// task name, and a pointer's batch id, put back from the parsed task; never over a producer's own, never past SQS's limit.
/// </summary>
public class DeadLetterCopyAttributesTests
{
    private static TaskMessage Task(string body)
    {
        TaskMessageParser.TryParse(body, out var task, out _).Should().BeTrue();
        return task! with { BatchId = "batch-7" };
    }

    private static ReceivedMessage Message(string body, params (string Name, string Value)[] attributes) =>
        TestMessages.Received(body) with { Attributes = attributes.ToDictionary(a => a.Name, a => a.Value) };

    private static IReadOnlyDictionary<string, string> CopyOf(ReceivedMessage message, TaskMessage? task) =>
        MessageCopy.ToDeadLetterQueue(message, task, "move", "m-1", "unreadable", 3).Attributes!;

    [Fact]
    public void Copy_ReceivedWithoutTheTasksAttributes_CarriesEntityAndTaskNameFromTheTask()
    {
        var body = TestMessages.TaskBody("doc-1", "ocr");

        var copy = CopyOf(Message(body, ("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")), Task(body));

        copy.Should().Contain(WireFormat.EntityId, "doc-1").And.Contain(WireFormat.TaskName, "ocr")
            .And.ContainKeys("traceparent", DeadLetterNote.ReasonAttribute, DeadLetterNote.AttemptsAttribute)
            .And.NotContainKey(WireFormat.BatchId, "a task body holds its batch id itself");
    }

    [Fact]
    public void Copy_ProducerGaveTheAttributes_KeepsTheProducersValues()
    {
        var body = TestMessages.TaskBody("doc-1", "ocr");

        var copy = CopyOf(Message(body, (WireFormat.EntityId, "legacy-doc-1"), (WireFormat.TaskName, "legacy-ocr")), Task(body));

        copy.Should().Contain(WireFormat.EntityId, "legacy-doc-1").And.Contain(WireFormat.TaskName, "legacy-ocr");
    }

    [Fact]
    public void Copy_Pointer_AlsoCarriesTheBatchIdItsBodyCannotShowWithoutAFetch()
    {
        var pointer = PayloadPointer.Write(new PayloadReference("bodies", "k-1", 5_000));

        var copy = CopyOf(Message(pointer, (MessageAttributeTypes.ExtendedPayloadSize, "5000")), Task(TestMessages.TaskBody("doc-1", "ocr")));

        copy.Should().Contain(WireFormat.EntityId, "doc-1").And.Contain(WireFormat.TaskName, "ocr").And.Contain(WireFormat.BatchId, "batch-7")
            .And.Contain(MessageAttributeTypes.ExtendedPayloadSize, "5000");
        PointerTask.From(TestMessages.Received(pointer) with { Attributes = copy })!.BatchId.Should().Be("batch-7");
    }

    [Fact]
    public void Copy_Poison_HasOnlyWhatItCameWithAndTheNote()
    {
        var copy = CopyOf(Message("not json", ("tenant", "acme")), task: null);

        copy.Keys.Should().BeEquivalentTo("tenant", DeadLetterNote.ReasonAttribute, DeadLetterNote.AttemptsAttribute);
    }

    [Theory]
    [InlineData(8, true, true)]
    [InlineData(9, true, false)]
    [InlineData(10, false, false)]
    public void Copy_ProducersAttributesNearTheLimit_AddsWhatFitsAndNeverMoreThanTen(int own, bool hasEntity, bool hasTaskName)
    {
        var body = TestMessages.TaskBody("doc-1", "ocr");
        var attributes = Enumerable.Range(0, own).Select(i => ($"a{i}", "v")).ToArray();

        var copy = CopyOf(Message(body, attributes), Task(body));

        copy.Should().HaveCountLessThanOrEqualTo(SqsLimits.MaxMessageAttributes);
        copy.Keys.Should().Contain(attributes.Select(a => a.Item1), "the producer's own attributes come first");
        copy.ContainsKey(WireFormat.EntityId).Should().Be(hasEntity);
        copy.ContainsKey(WireFormat.TaskName).Should().Be(hasTaskName);
    }

    [Fact]
    public void Copy_RedrivenMessageWithAnOldNote_PutsTheTasksAttributesBackBeforeTheNewNote()
    {
        var body = TestMessages.TaskBody("doc-1", "ocr");
        var attributes = Enumerable.Range(0, 8).Select(i => ($"a{i}", "v"))
            .Append((DeadLetterNote.ReasonAttribute, "earlier")).Append((DeadLetterNote.AttemptsAttribute, "1")).ToArray();

        var copy = CopyOf(Message(body, attributes), Task(body));

        copy.Should().HaveCount(SqsLimits.MaxMessageAttributes).And.Contain(WireFormat.EntityId, "doc-1").And.Contain(WireFormat.TaskName, "ocr")
            .And.NotContainKey(DeadLetterNote.ReasonAttribute, "the earlier note is dropped and the new one no longer fits");
    }
}
