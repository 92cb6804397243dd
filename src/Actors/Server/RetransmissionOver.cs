using CollabVlm.Messages;
using CollabVlm.TwoStage.Refinement;

namespace CollabVlm.Actors.Server;

/// <summary>
/// <see cref="Retransmission"/> → its coordinator (node-local): how the local stage ended
/// (<see cref="LocalStageStep.Answer"/> or <see cref="LocalStageStep.Degrade"/>), what arrived, the
/// edge's plan, and the stage's timings.
/// </summary>
public sealed record RetransmissionOver(LocalStageStep Outcome, long BytesReceived, LocalImagePlan? Plan, LocalTimings Timings);
