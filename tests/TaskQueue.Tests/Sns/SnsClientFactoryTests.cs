using Amazon;
using Amazon.Extensions.NETCore.Setup;
using Amazon.Runtime;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;

namespace TaskQueue.Tests.Sns;

public class SnsClientFactoryTests
{
    [Fact]
    public void GivenEndpointWithoutCredentials_DummyCredentialsAndALogLine()
    {
        var logger = new RecordingLogger<SnsClientFactoryTests>();
        var options = new AWSOptions { DefaultClientConfig = { ServiceURL = "http://127.0.0.1:4566" } };

        var sns = SnsClientFactory.Create(options, "eu-west-1", logger, null, credentialsConfigured: () => false);

        sns.Endpoint.Should().Be(new Uri("http://127.0.0.1:4566"));
        sns.Region.Should().Be("eu-west-1");
        sns.Credentials.GetCredentials().AccessKey.Should().Be("test");
        logger.Entries.Should().ContainSingle(e => e.EventId.Id == 9101).Which.Message.Should().Contain("http://127.0.0.1:4566");
    }

    [Fact]
    public void GivenCredentials_UsedAsTheyAre()
    {
        var logger = new RecordingLogger<SnsClientFactoryTests>();
        var options = new AWSOptions { Credentials = new BasicAWSCredentials("AKID", "secret"), DefaultClientConfig = { ServiceURL = "http://127.0.0.1:4566" } };

        var sns = SnsClientFactory.Create(options, null, logger, null, credentialsConfigured: () => false);

        sns.Credentials.GetCredentials().AccessKey.Should().Be("AKID");
        logger.Entries.Should().BeEmpty();
    }

    [Fact]
    public void NoEndpoint_AwsRegionalEndpointOfTheTopicsRegion()
    {
        var options = new AWSOptions { Region = RegionEndpoint.USEast1, Credentials = new BasicAWSCredentials("AKID", "secret") };

        var sns = SnsClientFactory.Create(options, "eu-central-1", null, null);

        sns.Region.Should().Be("eu-central-1", "a topic is reached in its own region");
        sns.Endpoint.Should().Be(new Uri("https://sns.eu-central-1.amazonaws.com/"));
    }

    [Fact]
    public void NoTopicRegion_TheOptionsRegion()
    {
        var options = new AWSOptions { Region = RegionEndpoint.APSoutheast2, Credentials = new BasicAWSCredentials("AKID", "secret") };

        SnsClientFactory.Create(options, null, null, null).Region.Should().Be("ap-southeast-2");
    }

    [Fact]
    public void Container_RegisteredAwsOptionsAreUsed()
    {
        using var services = new ServiceCollection()
            .AddSingleton(new AWSOptions { Credentials = new BasicAWSCredentials("AKID", "secret"), DefaultClientConfig = { ServiceURL = "http://127.0.0.1:9" } })
            .BuildServiceProvider();

        var sns = SnsClientFactory.Create(services, "us-west-2");

        sns.Endpoint.Should().Be(new Uri("http://127.0.0.1:9"));
        sns.Region.Should().Be("us-west-2");
    }
}
