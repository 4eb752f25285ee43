namespace TaskQueue.Sqs;

/// <summary>
/// The data type each message attribute is sent with. The seam carries attribute values as text; SQS also wants each
/// one's type, and other clients read some of ours by type: the AWS Extended Clients write the payload size of a message
/// whose body is in S3 as a <c>Number</c>, so that attribute is sent as one (it keeps that type on a dead-letter move
/// and a redrive too). <c>Number</c> and <c>String</c> are both six bytes, so the size SQS counts is the same.
/// </summary>
internal static class MessageAttributeTypes
{
    /// <summary>The attribute the AWS Extended Clients (Java, Python) mark a pointer message with: the stored body's size in bytes.</summary>
    public const string ExtendedPayloadSize = "ExtendedPayloadSize";

    /// <summary>The name older Extended Clients used for <see cref="ExtendedPayloadSize"/>; still read by the current ones.</summary>
    public const string LegacyPayloadSize = "SQSLargePayloadSize";

    /// <summary>SQS's data type of text attributes.</summary>
    public const string String = "String";

    /// <summary>SQS's data type of numeric attributes.</summary>
    public const string Number = "Number";

    /// <summary>The data type the attribute <paramref name="name"/> is sent with.</summary>
    /// <param name="name">The attribute's name.</param>
    /// <returns><c>Number</c> for the payload sizes, else <c>String</c>.</returns>
    public static string Of(string name) => name is ExtendedPayloadSize or LegacyPayloadSize ? Number : String;
}
