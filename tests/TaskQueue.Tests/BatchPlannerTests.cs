using FluentAssertions;
using TaskQueue.Sqs;

namespace TaskQueue.Tests;

/// <summary>How enqueue splits the messages still to send into batch calls: in order, at most 10 and 1 MiB each.</summary>
public class BatchPlannerTests
{
    private static (OutgoingMessage Message, int Size)[] Sized(params int[] sizes) =>
        [.. sizes.Select((size, i) => (new OutgoingMessage(i.ToString(System.Globalization.CultureInfo.InvariantCulture), "x"), size))];

    private static List<int> Batches(IReadOnlyList<int> pending, (OutgoingMessage Message, int Size)[] messages)
    {
        var lengths = new List<int>();
        for (var start = 0; start < pending.Count;)
        {
            var length = BatchPlanner.NextBatchLength([.. pending.Skip(start)], messages);
            lengths.Add(length);
            start += length;
        }

        return lengths;
    }

    [Fact]
    public void NextBatchLength_SmallMessages_TenABatch() =>
        Batches([.. Enumerable.Range(0, 25)], Sized([.. Enumerable.Repeat(100, 25)])).Should().Equal(10, 10, 5);

    [Fact]
    public void NextBatchLength_LargeMessages_AsManyAsFitInOneMebibyte()
    {
        // Four of 300,000 bytes are over 1 MiB: three a batch.
        Batches([.. Enumerable.Range(0, 7)], Sized([.. Enumerable.Repeat(300_000, 7)])).Should().Equal(3, 3, 1);
    }

    [Fact]
    public void NextBatchLength_ExactlyOneMebibyte_FitsInOneBatch() =>
        Batches([0, 1], Sized(524_288, 524_288)).Should().Equal(2);

    [Fact]
    public void NextBatchLength_MessageOfTheWholeLimit_GoesAlone() =>
        Batches([0, 1, 2], Sized(10, BatchPlanner.MaxPayloadBytes, 10)).Should().Equal(1, 1, 1);

    [Fact]
    public void NextBatchLength_OnlyThePendingMessagesCount()
    {
        // Pending 1, 3 and 4: the sizes of 0 and 2 (too large to share a batch) are not theirs.
        var messages = Sized(BatchPlanner.MaxPayloadBytes, 400_000, BatchPlanner.MaxPayloadBytes, 400_000, 400_000);

        Batches([1, 3, 4], messages).Should().Equal(2, 1);
    }

    [Fact]
    public void NextBatchLength_NothingPending_Zero() => BatchPlanner.NextBatchLength([], Sized(1)).Should().Be(0);
}
