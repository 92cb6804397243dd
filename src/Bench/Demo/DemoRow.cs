using CollabVlm.Actors.Edge;
using CollabVlm.Messages;
using CollabVlm.Primitives;
using CollabVlm.Simulation.Evaluation;

namespace CollabVlm.Bench.Demo;

/// <summary>The three answers to one frame (one per strategy).</summary>
public sealed record DemoRow(DemoFrame Frame, QueryOutcome GlobalOnly, QueryOutcome Always, QueryOutcome Gated)
{
    public static bool IsRight(QueryOutcome o, DemoFrame f) => o.Answered is { } a && AnswerScoring.ExactMatch(a.Answer.Text, [f.Text]);

    public static long LocalBytes(QueryOutcome o) => o.Answered?.Answer.BytesLocal ?? 0;

    public static long GlobalBytes(QueryOutcome o) => o.Answered?.Answer.BytesGlobal ?? 0;

    public IEnumerable<(RetransmitPolicy Policy, QueryOutcome Outcome)> Outcomes =>
        [(RetransmitPolicy.Never, GlobalOnly), (RetransmitPolicy.Always, Always), (RetransmitPolicy.Gated, Gated)];
}
