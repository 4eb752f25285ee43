using Microsoft.Extensions.Options;

namespace TaskQueue;

/// <summary>Validates options handed to a constructor directly, outside dependency injection, so bad values fail before any request.</summary>
internal static class OptionsGuard
{
    public static T Validated<T>(T options, IValidateOptions<T> validator)
        where T : class
    {
        var result = validator.Validate(Options.DefaultName, options);
        return result.Failed ? throw new OptionsValidationException(Options.DefaultName, typeof(T), result.Failures) : options;
    }
}
