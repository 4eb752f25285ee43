namespace TaskQueue.ModelTests.Scenarios;

/// <summary>Which scenarios the generator draws.</summary>
public enum ScenarioProfile
{
    /// <summary>Every behaviour and fault, anywhere.</summary>
    Full,

    /// <summary>
    /// Every fault, but tasks fail (and poison bodies sit) only in groups of one message, so no failure can ever hold
    /// a successor back: a correct worker and a sound suite never report an innocent dead letter here.
    /// </summary>
    FailuresOnlyInLoneGroups,
}
