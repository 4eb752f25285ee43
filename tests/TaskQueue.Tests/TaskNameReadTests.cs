using FluentAssertions;

namespace TaskQueue.Tests;

/// <summary>The task-name-only read a worker's limits use: the name the parser gives the handler, or none where it gives none.</summary>
public class TaskNameReadTests
{
    [Theory]
    [InlineData("""{"entity_id":"d","task_name":"ocr"}""")]
    [InlineData("""{"task_name":"echo","entity_id":"d","task_name":"ocr"}""")]
    [InlineData("""{"entity_id":"d","task_name":7,"task_name":"ocr"}""")]
    [InlineData("""{"entity_id":"d","task_name":"\u006fcr","task_config":{"task_name":"inner"}}""")]
    [InlineData(""" {"entity_id":"d","metadata":{"a":[1,{"b":null}]},"task_name":"ocr"} """)]
    public void TryReadTaskName_TaskBody_GivesTheNameTheParserGives(string body)
    {
        TaskMessageParser.TryParse(body, out var task, out var reason).Should().BeTrue(reason);

        TaskMessageParser.TryReadTaskName(body, out var taskName).Should().BeTrue();

        taskName.Should().Be(task!.TaskName).And.Be("ocr");
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("""["software.amazon.payloadoffloading.PayloadS3Pointer",{"s3BucketName":"b","s3Key":"k"}]""")]
    [InlineData("""{"entity_id":"d"}""")]
    [InlineData("""{"entity_id":"d","task_name":""}""")]
    [InlineData("""{"entity_id":"d","task_name":null}""")]
    [InlineData("""{"entity_id":"d","task_name":"ocr","task_name":7}""")]
    [InlineData("""{"entity_id":"d","task_name":"\ud800"}""")]
    [InlineData("""{"entity_id":"d","task_name":"ocr"} {}""")]
    [InlineData("""{"entity_id":"d","task_name":"ocr","task_config":{""")]
    public void TryReadTaskName_BodyTheParserNamesNoTaskIn_GivesNone(string body)
    {
        TaskMessageParser.TryParse(body, out _, out _).Should().BeFalse();

        TaskMessageParser.TryReadTaskName(body, out var taskName).Should().BeFalse();

        taskName.Should().BeNull();
    }

    [Fact]
    public void TryReadTaskName_NameGivenOtherFieldsWrong_GivesTheName_ThePoisonIsTheRunsToReport()
    {
        var body = """{"entity_id":7,"task_name":"ocr"}""";

        TaskMessageParser.TryParse(body, out _, out _).Should().BeFalse();

        TaskMessageParser.TryReadTaskName(body, out var taskName).Should().BeTrue();
        taskName.Should().Be("ocr");
    }
}
