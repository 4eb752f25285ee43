using FluentAssertions;
using TaskQueue.Sqs;

namespace TaskQueue.Tests;

public class BatchEntryIdsTests
{
    [Theory]
    [InlineData(0, "0")]
    [InlineData(9, "9")]
    [InlineData(10, "10")]
    [InlineData(123, "123")]
    public void An_entry_id_is_its_position_as_a_decimal_number_and_reads_back_as_that_position(int position, string id)
    {
        BatchEntryIds.For(position).Should().Be(id);
        BatchEntryIds.PositionOf(id).Should().Be(position);
    }

    [Fact]
    public void The_ids_of_the_positions_of_one_batch_are_made_once()
    {
        for (var position = 0; position < SqsLimits.MaxBatchEntries; position++)
        {
            BatchEntryIds.For(position).Should().BeSameAs(BatchEntryIds.For(position));
        }
    }

    [Theory]
    [InlineData("x")]
    [InlineData("")]
    [InlineData("1a")]
    public void An_id_that_is_no_number_names_no_entry(string id)
    {
        var read = () => BatchEntryIds.PositionOf(id);

        read.Should().Throw<FormatException>();
    }

    [Fact]
    public void The_entries_of_a_batch_are_made_in_order_each_named_by_its_position()
    {
        var entries = BatchEntryIds.Entries(["r-a", "r-b", "r-c"], static (handle, id) => new ReceiptEntry(id, handle));

        entries.Should().Equal(new ReceiptEntry("0", "r-a"), new ReceiptEntry("1", "r-b"), new ReceiptEntry("2", "r-c"));
    }
}
