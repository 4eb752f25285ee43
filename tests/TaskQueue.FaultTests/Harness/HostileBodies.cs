using System.Text;

namespace TaskQueue.FaultTests.Harness;

/// <summary>A message body that is not a task, and what kind of hostile it is.</summary>
public sealed record HostileBody(string Kind, string Body);

/// <summary>
/// Bodies a worker must survive: random characters (any SQS accepts: random bytes themselves cannot be sent),
/// truncated JSON, nesting deeper than the parser allows, wrong types, and bodies of the maximum size.
/// </summary>
public static class HostileBodies
{
    public const int MaxSizeBytes = 262_144;

    private static readonly string[] WrongTypes =
    [
        """{"entity_id":42,"task_name":"t"}""",
        """{"entity_id":"e","task_name":null}""",
        """{"entity_id":"e","task_name":["t"]}""",
        """{"entity_id":"","task_name":"t"}""",
        """{"entity_id":"e","task_name":"t","task_config":[1,2,3]}""",
        """{"entity_id":"e","task_name":"t","task_config":"{}"}""",
        """{"entity_id":"e","task_name":"t","metadata":"tenant"}""",
        """{"entity_id":"e","task_name":"t","timestamp":1732356930}""",
        """{"entity_id":"e","task_name":"t","timestamp":"yesterday"}""",
        """{"entity_id":"e","task_name":"t","total_tasks":"three"}""",
        """{"entity_id":"e","task_name":"t","retry_count":1.5}""",
        """{"entity_id":"e","task_name":"t","total_tasks":99999999999999999999}""",
        """{"task_name":"t"}""",
        """{"entity_id":"e"}""",
        """[{"entity_id":"e","task_name":"t"}]""",
        "\"entity_id\"",
        "12345",
        "null",
        "true",
        "{}",
        "   ",
    ];

    /// <summary>
    /// <paramref name="count"/> bodies, kinds in turn; the maximum-size ones alternate between 256 KiB and
    /// <paramref name="queueMaxBytes"/> when that is larger.
    /// </summary>
    public static List<HostileBody> Create(Random random, int count, int queueMaxBytes)
    {
        var bodies = new List<HostileBody>(count);
        for (var i = 0; i < count; i++)
        {
            bodies.Add((i % 8) switch
            {
                0 or 1 => new HostileBody("random characters", RandomCharacters(random, random.Next(1, 4000))),
                2 or 3 => new HostileBody("truncated JSON", Truncated(random, i)),
                4 => new HostileBody("deep nesting", DeepNesting(random)),
                5 or 6 => new HostileBody("wrong types", WrongTypes[random.Next(WrongTypes.Length)].Replace("\"t\"", $"\"t{i}\"", StringComparison.Ordinal)),
                _ => new HostileBody("maximum size", MaximumSize(random, (i / 8) % 2 == 1 && queueMaxBytes > MaxSizeBytes ? queueMaxBytes : MaxSizeBytes)),
            });
        }

        return bodies;
    }

    /// <summary>
    /// Characters SQS allows in a body: #x9, #xA, #xD, #x20 to #xD7FF, #xE000 to #xFFFD (AWS also takes #x10000 to
    /// #x10FFFF, which fauxqs refuses, so they are left out).
    /// </summary>
    private static string RandomCharacters(Random random, int length)
    {
        var text = new StringBuilder(length * 2);
        if (random.Next(3) == 0)
        {
            text.Append('{');
        }

        while (text.Length < length)
        {
            switch (random.Next(10))
            {
                case 0:
                    text.Append("\t\n\r"[random.Next(3)]);
                    break;
                case 1:
                    text.Append((char)random.Next(0xA0, 0xD800));
                    break;
                case 2:
                    text.Append((char)random.Next(0xE000, 0xFFFE));
                    break;
                default:
                    text.Append((char)random.Next(0x20, 0x7F));
                    break;
            }
        }

        return text.ToString();
    }

    private static string Truncated(Random random, int i)
    {
        var body = FaultQueue.TaskBody($"bad{i}", "truncated", $"x{i}", 0);
        return body[..random.Next(1, body.Length - 1)];
    }

    /// <summary>Objects or arrays nested 65 to 20,000 deep: more than the parser's limit of 64.</summary>
    private static string DeepNesting(Random random)
    {
        var depth = random.Next(65, 20_000);
        return random.Next(2) == 0
            ? """{"entity_id":"e","task_name":"t","task_config":""" + string.Concat(Enumerable.Repeat("""{"a":""", depth)) + "1" + new string('}', depth + 1)
            : new string('[', depth) + new string(']', depth);
    }

    /// <summary>A body of exactly <paramref name="bytes"/> UTF-8 bytes that looks like a task but has a wrong type.</summary>
    private static string MaximumSize(Random random, int bytes)
    {
        var head = $$"""{"entity_id":"big","task_name":"t{{random.Next()}}","task_config":""";
        var pad = bytes - Encoding.UTF8.GetByteCount(head) - 3;
        return head + "\"" + new string((char)('a' + random.Next(26)), pad) + "\"}";
    }
}
