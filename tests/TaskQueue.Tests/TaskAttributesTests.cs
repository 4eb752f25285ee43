using FluentAssertions;

namespace TaskQueue.Tests;

/// <summary>The attributes enqueue gives a task's message read like the dictionary of them a client expects.</summary>
public class TaskAttributesTests
{
    private readonly TaskAttributes _attributes = new("doc-1", "ocr");

    [Fact]
    public void Enumerated_EntityThenTask_AsADictionaryOfThemWould()
    {
        _attributes.Should().Equal(new Dictionary<string, string> { ["entity_id"] = "doc-1", ["task_name"] = "ocr" });
        _attributes.Select(a => a.Key).Should().Equal("entity_id", "task_name");
        _attributes.Keys.Should().Equal("entity_id", "task_name");
        _attributes.Values.Should().Equal("doc-1", "ocr");
        _attributes.Count.Should().Be(2);
        new Dictionary<string, string>(_attributes, StringComparer.Ordinal).Should().HaveCount(2);
    }

    [Fact]
    public void Lookup_KnownNames_FindTheirValues()
    {
        _attributes["entity_id"].Should().Be("doc-1");
        _attributes["task_name"].Should().Be("ocr");
        _attributes.ContainsKey("task_name").Should().BeTrue();
        _attributes.TryGetValue("entity_id", out var entity).Should().BeTrue();
        entity.Should().Be("doc-1");
    }

    [Theory]
    [InlineData("traceparent")]
    [InlineData("Entity_Id")]
    [InlineData("")]
    public void Lookup_OtherNames_NotFound(string name)
    {
        _attributes.ContainsKey(name).Should().BeFalse();
        _attributes.TryGetValue(name, out _).Should().BeFalse();
        _attributes.GetValueOrDefault(name).Should().BeNull();
        var read = () => _attributes[name];
        read.Should().Throw<KeyNotFoundException>();
    }

    [Fact]
    public void Lookup_NullName_ThrowsAsADictionaryDoes()
    {
        var read = () => _attributes.ContainsKey(null!);
        read.Should().Throw<ArgumentNullException>();
    }
}
