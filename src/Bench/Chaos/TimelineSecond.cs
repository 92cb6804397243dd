namespace CollabVlm.Bench.Chaos;

/// <summary>Outcomes in one second of the run: answered and failed by when they ended, lost by when they were asked.</summary>
public sealed record TimelineSecond(int Second, int Answered, int Failed, int Lost);
