using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace TaskQueue.Tests.Worker.Flow;

/// <summary>The flow-control options: checked with messages naming the task and the value; set by the builder.</summary>
public sealed class FlowOptionsTests
{
    [Fact]
    public void Validate_BadTaskLimits_EachNamedWithItsTask()
    {
        var options = new TaskQueueWorkerOptions { PauseReleaseAfter = TimeSpan.FromHours(2) };
        options.TaskLimits["ocr"] = new TaskLimit { MaxConcurrency = 0, RateLimit = 5, RatePeriod = TimeSpan.Zero };
        options.TaskLimits["echo"] = new TaskLimit();

        var result = new TaskQueueWorkerOptionsValidator().Validate(null, options);

        result.Failures.Should().BeEquivalentTo(
            "PauseReleaseAfter is 7200 s: it must be 0 to 3600 s (how long a paused worker keeps messages it did not start).",
            "TaskLimits[ocr].MaxConcurrency is 0: it must be 1 to 1,000.",
            "TaskLimits[ocr].RatePeriod is 0 s: it must be 0.001 to 86400 s (the period of its rate limit).",
            "TaskLimits[echo] sets neither MaxConcurrency nor RateLimit: set one, or remove it.");
    }

    [Fact]
    public void AddTaskLimit_SetsTheWorkerOptionsLimitOfThatTaskName()
    {
        var services = new ServiceCollection();
        services.AddTaskQueue(o => o.QueueUrl = TestMessages.QueueUrl)
            .AddTaskLimit("ocr", maxConcurrency: 2, rateLimit: 30, ratePeriod: TimeSpan.FromMinutes(1))
            .AddTaskLimit("echo", rateLimit: 5);
        using var provider = services.BuildServiceProvider();

        var limits = provider.GetRequiredService<IOptions<TaskQueueWorkerOptions>>().Value.TaskLimits;

        limits["ocr"].Should().BeEquivalentTo(new TaskLimit { MaxConcurrency = 2, RateLimit = 30, RatePeriod = TimeSpan.FromMinutes(1) });
        limits["echo"].Should().BeEquivalentTo(new TaskLimit { RateLimit = 5, RatePeriod = TimeSpan.FromSeconds(1) });
    }
}
