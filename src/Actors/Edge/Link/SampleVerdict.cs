namespace CollabVlm.Actors.Edge.Link;

/// <summary>What <see cref="LinkSampleWindow.Add"/> did with a sample (for logs and tests).</summary>
public enum SampleVerdict
{
    /// <summary>Consistent with the window (or the window was empty): it is part of the estimate now.</summary>
    Accepted,

    /// <summary>Far outside the current estimate: held aside until the next sample says whether the link changed.</summary>
    HeldAsSuspect,

    /// <summary>A held sample was not confirmed (it was an outlier) and is dropped; the new sample was accepted.</summary>
    SuspectDropped,

    /// <summary>The held sample and this one agree the link changed: the window restarted from the two of them.</summary>
    WindowRestarted,
}
