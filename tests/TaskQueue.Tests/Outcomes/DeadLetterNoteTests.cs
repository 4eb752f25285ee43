using FluentAssertions;
using TaskQueue.Sqs;

namespace TaskQueue.Tests.Outcomes;

/// <summary>The note a DLQ copy carries: within SQS's attribute limit, readable by a peek, dropped by a redrive.</summary>
public class DeadLetterNoteTests
{
    private static ReceivedMessage WithAttributes(int count) => TestMessages.Received(TestMessages.TaskBody()) with
    {
        Attributes = Enumerable.Range(0, count).ToDictionary(i => $"a{i}", i => "v"),
    };

    [Theory]
    [InlineData(4, true, true)]
    [InlineData(9, true, false)]
    [InlineData(10, false, false)]
    public void DeadLetterCopy_NeverExceedsTenAttributesAndKeepsTheMessagesOwn(int own, bool hasReason, bool hasAttempts)
    {
        var copy = MessageCopy.ToDeadLetterQueue(WithAttributes(own), null, "move", "m-1", "unreadable", 3);

        copy.Attributes.Should().NotBeNull().And.HaveCountLessThanOrEqualTo(10);
        copy.Attributes!.Keys.Should().Contain(Enumerable.Range(0, own).Select(i => $"a{i}"));
        copy.Attributes!.ContainsKey(DeadLetterNote.ReasonAttribute).Should().Be(hasReason);
        copy.Attributes!.ContainsKey(DeadLetterNote.AttemptsAttribute).Should().Be(hasAttempts);
    }

    [Fact]
    public void DeadLetterCopy_Reason_CutToLengthAndFreeOfWhatSqsRefuses()
    {
        var copy = MessageCopy.ToDeadLetterQueue(WithAttributes(0), null, "move", "m-1", "bad\u0001byte \ud800 " + new string('x', 5000), 1);

        var reason = copy.Attributes![DeadLetterNote.ReasonAttribute];
        reason.Should().StartWith("bad?byte ? ");
        reason.Length.Should().BeLessThanOrEqualTo(1024);
    }

    [Fact]
    public void Peek_DeadLetterMovedByTaskQueue_ShowsReasonAndAttempts()
    {
        var copy = MessageCopy.ToDeadLetterQueue(WithAttributes(2), null, "move", "m-1", "unreadable", 4);
        var received = TestMessages.Received(copy.Body) with { Attributes = copy.Attributes! };

        var letter = DeadLetterPeeker.Describe(received);

        letter.DeadLetterReason.Should().Be("unreadable");
        letter.Attempts.Should().Be(4);
    }

    [Fact]
    public void RedriveCopy_DropsTheNoteSoTheTaskStartsOver()
    {
        var deadLetter = TestMessages.Received(TestMessages.TaskBody()) with
        {
            Attributes = new Dictionary<string, string> { ["entity_id"] = "doc-1", [DeadLetterNote.ReasonAttribute] = "x", [DeadLetterNote.AttemptsAttribute] = "3" },
        };

        MessageCopy.Of(deadLetter, "0", "d-1").Attributes.Should().Equal(new Dictionary<string, string> { ["entity_id"] = "doc-1" });
    }
}
