using CollabVlm.Actors.Edge;
using CollabVlm.TwoStage;

namespace CollabVlm.Bench.Runs;

/// <summary>How command-line options become node settings.</summary>
public static class RunCommandOptions
{
    /// <summary>The edge settings a run uses (the uplink shaper is separate: <see cref="RunSettings.Uplink"/>).</summary>
    public static EdgeSettings EdgeFor(int? globalLongSide)
    {
        var edge = new EdgeSettings();
        return edge with { GlobalLongSide = globalLongSide ?? edge.GlobalLongSide };
    }
}
