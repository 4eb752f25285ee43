using FluentAssertions;

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

    [Theory]
    [InlineData(129)]
    [InlineData(300)]
    public void MakeSafe_ValueShapedLikeAHashedId_IsHashedAgainSoItCannotEqualAnotherValuesHash(int length)
    {
        var hashed = SqsIdentifier.MakeSafe(new string('x', length));

        var again = SqsIdentifier.MakeSafe(hashed);

        again.Should().NotBe(hashed, "a value passed through unchanged must never equal the hash of another value");
        again.Should().MatchRegex("^[A-Za-z0-9!-/:-@\\[-`{-~]{1,128}$");
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("doc-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void MakeSafe_HashShapedValue_NotPassedThrough(string value) => SqsIdentifier.MakeSafe(value).Should().NotBe(value);

    [Theory]
    [InlineData("doc-0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF")]
    [InlineData("doc0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void MakeSafe_HexButNotTheHashedShape_Unchanged(string value) => SqsIdentifier.MakeSafe(value).Should().Be(value);

    [Fact]
    public void MakeSafe_LoneSurrogate_Throws()
    {
        var act = () => SqsIdentifier.MakeSafe("doc-\ud800");

        act.Should().Throw<ArgumentException>().WithMessage("*lone UTF-16 surrogate*");
    }

    public static TheoryData<string[], string[]> CollidingWhenJoined => new()
    {
        { ["a-b", "c"], ["a", "b-c"] },
        { ["a", "bc"], ["ab", "c"] },
        { ["", "ab"], ["ab", ""] },
        { [new string('e', 200) + "-b", "c"], [new string('e', 200), "b-c"] },
        { ["a\u0000", "b"], ["a", "\u0000b"] },
    };

    [Theory]
    [MemberData(nameof(CollidingWhenJoined))]
    public void ForDeduplication_PartsThatMeetWhenJoined_GiveDistinctIds(string[] first, string[] second)
    {
        var one = SqsIdentifier.ForDeduplication("task", first);
        var other = SqsIdentifier.ForDeduplication("task", second);

        one.Should().NotBe(other);
        one.Should().MatchRegex("^task-[0-9a-f]{64}$");
    }

    [Fact]
    public void ForDeduplication_SamePartsOtherKind_GiveDistinctIds() =>
        SqsIdentifier.ForDeduplication("key", "k", "doc-1").Should().NotBe(SqsIdentifier.ForDeduplication("task", "k", "doc-1"));

    [Fact]
    public void ForDeduplication_SameParts_SameId() =>
        SqsIdentifier.ForDeduplication("task", "doc-1", "ocr").Should().Be(SqsIdentifier.ForDeduplication("task", "doc-1", "ocr"));

    // Ids shared beyond a call must not change between versions: a producer upgraded within the deduplication window
    // would send again what an older one sent. Each is the SHA-256 of the kind and parts, each a 4-byte big-endian length
    // and UTF-8; the last is long enough to be hashed from a pooled array instead of the stack.
    public static TheoryData<string, string[], string> PinnedIds => new()
    {
        { "task", ["doc-1", "ocr"], "task-1a3db09293e1ec5c9a0c673b9d62934e40a1f5e1bf7f8231c7a89976b3a41370" },
        { "key", ["k", "doc-1", "日本語 😀"], "key-a2cf09c6b685a7e09661d24d8f2c12094b26d40cf24c44bb7f9e108839581135" },
        {
            "batch",
            ["doc-1", .. Enumerable.Range(0, 10).Select(i => $"task{i}"), new string('é', 300)],
            "batch-faca8ee647329a98cbba78d5da3c3ed57f32604ac99397c206e3483c5c3c192e"
        },
    };

    [Theory]
    [MemberData(nameof(PinnedIds))]
    public void ForDeduplication_SameIdInEveryVersion(string kind, string[] parts, string id) =>
        SqsIdentifier.ForDeduplication(kind, parts).Should().Be(id);

    [Fact]
    public void ForDeduplication_LoneSurrogate_Throws()
    {
        var act = () => SqsIdentifier.ForDeduplication("task", "doc-1", "a\ud800");

        act.Should().Throw<ArgumentException>().WithMessage("an id holds a lone UTF-16 surrogate (U+D800 at index 1)*");
    }

    [Fact]
    public void ForGroup_CollidingPairs_ShareTheReadableGroup() =>
        SqsIdentifier.ForGroup("a-b", "c").Should().Be(SqsIdentifier.ForGroup("a", "b-c")).And.Be("a-b-c");
}
