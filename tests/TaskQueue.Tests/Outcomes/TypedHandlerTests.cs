using System.Text.Json;
using System.Text.Json.Serialization;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace TaskQueue.Tests.Outcomes;

public sealed record OcrConfig(string Language, int Pages);

[JsonSerializable(typeof(OcrConfig))]
internal sealed partial class OutcomeJsonContext : JsonSerializerContext;

/// <summary>Handlers that take their config as a type: bound with source-generated metadata, or dead-lettered when it does not bind.</summary>
public class TypedHandlerTests
{
    private readonly FakeTimeProvider _time = new();

    private sealed class OcrHandler : ITaskHandler<OcrConfig>
    {
        public static OcrConfig? Seen { get; set; }

        public Task<TaskOutcome> HandleAsync(TaskMessage task, OcrConfig config, TaskContext context)
        {
            Seen = config;
            return Task.FromResult(config.Pages > 100 ? TaskOutcome.DeadLetter("too many pages") : TaskOutcome.Completed);
        }
    }

    private TaskRouter Router(Action<TaskQueueBuilder> register)
    {
        var services = new ServiceCollection();
        register(new TaskQueueBuilder(services));
        var provider = services.BuildServiceProvider();
        return new TaskRouter(provider.GetRequiredService<IServiceScopeFactory>(), provider.GetServices<TaskHandlerRegistration>(), _time);
    }

    private static TaskMessage Message(string config) =>
        new("doc-1", "ocr", JsonDocument.Parse(config).RootElement, JsonDocument.Parse("{}").RootElement, null, 1);

    private static TaskContext Context(CancellationToken token = default) => new("m-1", 1, "doc-1-ocr", token);

    [Fact]
    public async Task TypedHandler_ConfigBinds_RunsOnTheBoundConfigAndReturnsItsOutcome()
    {
        var router = Router(b => b.AddHandler<OcrHandler, OcrConfig>("ocr", OutcomeJsonContext.Default.OcrConfig));

        var outcome = await router.RouteAsync(Message("""{"Language":"de","Pages":3}"""), Context());

        outcome.Should().BeSameAs(TaskOutcome.Completed);
        OcrHandler.Seen.Should().Be(new OcrConfig("de", 3));
    }

    [Fact]
    public async Task TypedHandler_FromASerializerContext_ChoosesItsOutcome()
    {
        var router = Router(b => b.AddHandler<OcrHandler, OcrConfig>("ocr", OutcomeJsonContext.Default));

        var outcome = await router.RouteAsync(Message("""{"Language":"de","Pages":500}"""), Context());

        outcome.Kind.Should().Be(TaskOutcomeKind.DeadLetter);
        outcome.DeadLetterReason.Should().Be("too many pages");
    }

    [Theory]
    [InlineData("""{"Language":"de","Pages":"many"}""")]
    [InlineData("""{"Language":["de"],"Pages":1}""")]
    public async Task TypedHandler_ConfigDoesNotBind_DeadLetteredWithTheReasonWithoutRunning(string config)
    {
        var router = Router(b => b.AddHandler<OcrHandler, OcrConfig>("ocr", OutcomeJsonContext.Default.OcrConfig));

        var outcome = await router.RouteAsync(Message(config), Context());

        outcome.Kind.Should().Be(TaskOutcomeKind.DeadLetter);
        outcome.DeadLetterReason.Should().StartWith("task_config of task 'ocr' does not bind to OcrConfig: ");
    }

    [Fact]
    public void TypedHandler_ContextWithoutTheConfigType_RefusedWhenRegistered() =>
        FluentActions.Invoking(() => Router(b => b.AddHandler<UnknownConfigHandler, Uri>("ocr", OutcomeJsonContext.Default)))
            .Should().Throw<ArgumentException>().WithMessage("*add [JsonSerializable(typeof(Uri))]*");

    [Fact]
    public void TaskSpec_FromATypedConfig_HoldsItsJson()
    {
        var spec = TaskSpec.Create("ocr", new OcrConfig("fr", 2), OutcomeJsonContext.Default.OcrConfig);

        spec.TaskName.Should().Be("ocr");
        spec.Config.Should().BeOfType<JsonElement>().Which.GetRawText().Should().Be("""{"Language":"fr","Pages":2}""");
    }

    [Fact]
    public async Task Timeout_HandlerStillRunning_ItsTokenIsCancelledAndTheRunFailsAsTimedOut()
    {
        var router = Router(b => b.AddHandler("ocr", async (_, _, context) => await Task.Delay(Timeout.Infinite, context.CancellationToken), TimeSpan.FromMinutes(5)));

        var run = router.RouteAsync(Message("{}"), Context());
        _time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromTicks(1));
        run.IsCompleted.Should().BeFalse("the timeout has not passed");
        _time.Advance(TimeSpan.FromTicks(1));

        (await FluentActions.Awaiting(() => run).Should().ThrowAsync<TimeoutException>())
            .WithMessage("Task 'ocr' ran longer than its timeout of 00:05:00*").WithInnerException<OperationCanceledException>();
    }

    [Fact]
    public async Task Timeout_ShutdownCancelsFirst_TheCancellationIsNotATimeout()
    {
        using var shutdown = new CancellationTokenSource();
        var router = Router(b => b.AddHandler("ocr", async (_, _, context) => await Task.Delay(Timeout.Infinite, context.CancellationToken), TimeSpan.FromMinutes(5)));

        var run = router.RouteAsync(Message("{}"), Context(shutdown.Token));
        await shutdown.CancelAsync();

        await FluentActions.Awaiting(() => run).Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task Timeout_HandlerDoneInTime_ItsOutcomeStands()
    {
        var router = Router(b => b.AddHandler("ocr", (_, _, _) => Task.FromResult(TaskOutcome.RetryAfter(TimeSpan.FromSeconds(3))), TimeSpan.FromMinutes(5)));

        var outcome = await router.RouteAsync(Message("{}"), Context());

        outcome.RetryDelay.Should().Be(TimeSpan.FromSeconds(3));
    }

    private sealed class UnknownConfigHandler : ITaskHandler<Uri>
    {
        public Task<TaskOutcome> HandleAsync(TaskMessage task, Uri config, TaskContext context) => Task.FromResult(TaskOutcome.Completed);
    }
}
