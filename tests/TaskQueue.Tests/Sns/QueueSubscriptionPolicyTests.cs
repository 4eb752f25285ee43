using System.Text.Json;
using FluentAssertions;
using TaskQueue.Sqs;

namespace TaskQueue.Tests.Sns;

public class QueueSubscriptionPolicyTests
{
    private const string QueueArn = "arn:aws:sqs:eu-west-1:123456789012:listener.fifo";
    private const string TopicArn = "arn:aws:sns:eu-west-1:123456789012:events.fifo";

    [Fact]
    public void NoPolicy_OneStatementLettingTheTopicSend()
    {
        var policy = JsonDocument.Parse(QueueSubscriptionPolicy.WithTopicAllowed(null, QueueArn, TopicArn, "q")!).RootElement;

        policy.GetProperty("Version").GetString().Should().Be("2012-10-17");
        var statement = policy.GetProperty("Statement").EnumerateArray().Should().ContainSingle().Subject;
        statement.GetProperty("Effect").GetString().Should().Be("Allow");
        statement.GetProperty("Principal").GetProperty("Service").GetString().Should().Be("sns.amazonaws.com");
        statement.GetProperty("Action").GetString().Should().Be("sqs:SendMessage");
        statement.GetProperty("Resource").GetString().Should().Be(QueueArn);
        statement.GetProperty("Condition").GetProperty("ArnEquals").GetProperty("aws:SourceArn").GetString().Should().Be(TopicArn);
        statement.GetProperty("Sid").GetString().Should().MatchRegex("^[A-Za-z0-9]+$");
    }

    [Fact]
    public void OtherStatements_Kept()
    {
        var existing = """{"Version":"2012-10-17","Statement":{"Sid":"Other","Effect":"Deny","Principal":"*","Action":"sqs:*","Resource":"x"}}""";

        var policy = JsonDocument.Parse(QueueSubscriptionPolicy.WithTopicAllowed(existing, QueueArn, TopicArn, "q")!).RootElement;

        policy.GetProperty("Statement").EnumerateArray().Select(s => s.GetProperty("Sid").GetString())
            .Should().Equal("Other", QueueSubscriptionPolicy.StatementId(TopicArn));
    }

    [Fact]
    public void TopicAlreadyAllowed_NothingToChange_AnotherTopicAdded()
    {
        var once = QueueSubscriptionPolicy.WithTopicAllowed(null, QueueArn, TopicArn, "q");

        QueueSubscriptionPolicy.WithTopicAllowed(once, QueueArn, TopicArn, "q").Should().BeNull();
        JsonDocument.Parse(QueueSubscriptionPolicy.WithTopicAllowed(once, QueueArn, TopicArn + "2", "q")!).RootElement
            .GetProperty("Statement").GetArrayLength().Should().Be(2);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1]")]
    public void PolicyThatIsNotADocument_SaysToFixIt(string policy)
    {
        var act = () => QueueSubscriptionPolicy.WithTopicAllowed(policy, QueueArn, TopicArn, "http://q");

        act.Should().Throw<TaskQueueException>().Which.Message.Should().Contain("http://q").And.Contain("Policy");
    }
}
