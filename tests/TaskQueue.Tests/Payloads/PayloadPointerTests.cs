using System.Text.RegularExpressions;
using FluentAssertions;
using TaskQueue.Sqs;

namespace TaskQueue.Tests.Payloads;

/// <summary>The pointer body and size attribute, as the AWS Extended Clients write and read them.</summary>
public class PayloadPointerTests
{
    /// <summary>The shape the Java Extended Client's own integration test expects of a pointer body (Jackson, compact).</summary>
    private static readonly Regex JavaPointer = new(
        """^\["software\.amazon\.payloadoffloading\.PayloadS3Pointer",\{"s3BucketName":"my-queue-bucket","s3Key":"[^"]+"\}\]$""");

    private static ReceivedMessage Message(string body, Dictionary<string, string>? attributes = null) =>
        new("m-1", "r-1", body, attributes ?? [], new Dictionary<string, string>());

    [Fact]
    public void Write_IsTheJavaClientsCompactTypedArray()
    {
        var body = PayloadPointer.Write(new PayloadReference("my-queue-bucket", "tasks/0b6c5a04-7ad4-4d51-9a0e-6f1d5cf2a0a1", 10));

        body.Should().MatchRegex(JavaPointer.ToString());
        body.Should().Be("""["software.amazon.payloadoffloading.PayloadS3Pointer",{"s3BucketName":"my-queue-bucket","s3Key":"tasks/0b6c5a04-7ad4-4d51-9a0e-6f1d5cf2a0a1"}]""");
    }

    [Fact]
    public void TryRead_OwnPointerWithSizeAttribute_GivesBucketKeyAndSize()
    {
        var body = PayloadPointer.Write(new PayloadReference("b-1", "k-1", null));

        PayloadPointer.TryRead(Message(body, new() { ["ExtendedPayloadSize"] = "1234" }), out var reference, out var error).Should().BeTrue();

        reference.Should().Be(new PayloadReference("b-1", "k-1", 1234));
        error.Should().BeNull();
    }

    [Theory]
    [InlineData("""["software.amazon.payloadoffloading.PayloadS3Pointer", {"s3BucketName": "b-1", "s3Key": "k-1"}]""")] // Python's json.dumps
    [InlineData("""["com.amazon.sqs.javamessaging.MessageS3Pointer",{"s3BucketName":"b-1","s3Key":"k-1"}]""")] // the first Java client
    [InlineData("""  ["software.amazon.payloadoffloading.PayloadS3Pointer",{"s3Key":"k-1","s3BucketName":"b-1","extra":1}]""")]
    public void TryRead_ForeignShapes_AreRead(string body)
    {
        PayloadPointer.TryRead(Message(body, new() { ["SQSLargePayloadSize"] = "77" }), out var reference, out _).Should().BeTrue();

        reference.Should().Be(new PayloadReference("b-1", "k-1", 77));
    }

    [Theory]
    [InlineData("""{"entity_id":"doc-1","task_name":"t"}""")]
    [InlineData("""["something else",{"s3BucketName":"b","s3Key":"k"}]""")]
    [InlineData("""[1,2]""")]
    [InlineData("""[not json""")]
    public void TryRead_NotAPointer_IsFalse(string body)
    {
        PayloadPointer.TryRead(Message(body), out var reference, out var error).Should().BeFalse();

        reference.Should().BeNull();
        error.Should().BeNull();
    }

    [Theory]
    [InlineData("""["software.amazon.payloadoffloading.PayloadS3Pointer"]""")]
    [InlineData("""["software.amazon.payloadoffloading.PayloadS3Pointer",{"s3BucketName":"b"}]""")]
    [InlineData("""["software.amazon.payloadoffloading.PayloadS3Pointer",{"s3BucketName":"b","s3Key":7}]""")]
    public void TryRead_MalformedPointer_SaysWhy(string body)
    {
        PayloadPointer.TryRead(Message(body), out var reference, out var error).Should().BeTrue();

        reference.Should().BeNull();
        error.Should().Contain("s3BucketName").And.Contain("s3Key");
    }

    [Fact]
    public void MessageAttributeTypes_PayloadSizesAreNumbers_OthersStrings()
    {
        MessageAttributeTypes.Of("ExtendedPayloadSize").Should().Be("Number");
        MessageAttributeTypes.Of("SQSLargePayloadSize").Should().Be("Number");
        MessageAttributeTypes.Of("entity_id").Should().Be("String");
    }
}
