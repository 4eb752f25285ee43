namespace TaskQueue.Sqs;

/// <summary>Parameters of one ReceiveMessage call.</summary>
/// <param name="MaxMessages">1 to 10 messages.</param>
/// <param name="WaitTime">Long-poll wait, 0 to 20 seconds: the call returns as soon as a message arrives.</param>
/// <param name="VisibilityTimeout">How long the received messages stay hidden from other receivers; null uses the queue's default.</param>
public sealed record ReceiveOptions(int MaxMessages, TimeSpan WaitTime, TimeSpan? VisibilityTimeout = null);
