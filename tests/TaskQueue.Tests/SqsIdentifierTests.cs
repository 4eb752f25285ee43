using FluentAssertions;
using TaskQueue.Messages;

namespace TaskQueue.Tests;

public class SqsIdentifierTests
{
    [Theory]
    [InlineData("doc-1-title")]
    [InlineData("a!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~z")]
    public void MakeSafe_AcceptedId_Unchanged(string id) => SqsIdentifier.MakeSafe(id).Should().Be(id);

    [Fact]
    public void MakeSafe_Exactly128Chars_Unchanged() => SqsIdentifier.MakeSafe(new string('a', 128)).Should().HaveLength(128).And.NotContain("-");

    [Theory]
    [InlineData("with space")]
    [InlineData("année")]
    [InlineData("")]
    public void MakeSafe_RejectedCharacters_HashedAndStable(string id)
    {
        var safe = SqsIdentifier.MakeSafe(id);

        safe.Should().NotBe(id).And.MatchRegex("^[A-Za-z0-9!-/:-@\\[-`{-~]{1,128}$");
        SqsIdentifier.MakeSafe(id).Should().Be(safe);
    }

    [Fact]
    public void MakeSafe_TooLong_HashedToAtMost128WithReadablePrefix()
    {
        var id = new string('x', 129);

        var safe = SqsIdentifier.MakeSafe(id);

        safe.Should().HaveLength(128).And.StartWith("xxxxxxxx");
        SqsIdentifier.MakeSafe(id + "y").Should().NotBe(safe, "different inputs get different hashes");
    }

    [Fact]
    public void ForGroup_JoinsEntityAndTask() => SqsIdentifier.ForGroup("doc-123", "yearBuilt").Should().Be("doc-123-yearBuilt");
}
