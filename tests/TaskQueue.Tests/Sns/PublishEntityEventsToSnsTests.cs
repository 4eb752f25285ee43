using Amazon;
using Amazon.Extensions.NETCore.Setup;
using Amazon.Runtime;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace TaskQueue.Tests.Sns;

public class PublishEntityEventsToSnsTests
{
    [Fact]
    public void Registered_AsACompletionHandlerOfTheTracking_WithTheContainersAwsOptions()
    {
        using var services = new ServiceCollection()
            .AddSingleton(new AWSOptions
            {
                Region = RegionEndpoint.EUWest1,
                Credentials = new BasicAWSCredentials("AKID", "secret"),
                DefaultClientConfig = { ServiceURL = "http://127.0.0.1:9" },
            })
            .AddTaskQueue(o => o.QueueUrl = "http://127.0.0.1:9/000000000000/q.fifo")
            .AddEntityLedger(_ => Mock.Of<IEntityLedger>())
            .PublishEntityEventsToSns(SnsStub.TopicArn)
            .Services.BuildServiceProvider();

        var tracking = EntityTrackingServices.From(services);

        var publisher = tracking!.Handlers.Should().ContainSingle().Which.Should().BeOfType<SnsEntityEventPublisher>().Subject;
        publisher.TopicArn.Should().Be(SnsStub.TopicArn);
        publisher.Sns.Endpoint.Should().Be(new Uri("http://127.0.0.1:9"));
        publisher.Sns.Region.Should().Be("eu-west-1");
    }

    [Fact]
    public void StandardTopic_RefusedAtRegistration()
    {
        var builder = new ServiceCollection().AddTaskQueue(o => o.QueueUrl = "http://127.0.0.1:9/000000000000/q.fifo");

        var act = () => builder.PublishEntityEventsToSns("arn:aws:sns:eu-west-1:123456789012:events");

        act.Should().Throw<ArgumentException>().WithParameterName("topicArn").Which.Message.Should().Contain("not a FIFO topic");
    }
}
