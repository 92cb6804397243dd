using CollabVlm.Simulation.Evaluation;

namespace CollabVlm.Simulation.Tests.Evaluation;

public sealed class ExtraCostTests
{
    private const double Tol = 1e-12;

    [Fact]
    public void Extra_cost_is_local_bytes_over_global_bytes()
    {
        // Total 1250, global 1000: (1250 − 1000) / 1000 = 250 / 1000 = 0.25.
        Assert.Equal(0.25, ExtraCost.Of(1000, 250), Tol);
        // Local crops three times the globals' bytes: 3.
        Assert.Equal(3.0, ExtraCost.Of(40_000, 120_000), Tol);
        // Never retransmitted: 0.
        Assert.Equal(0.0, ExtraCost.Of(1000, 0), Tol);
    }

    [Fact]
    public void Extra_cost_with_no_global_bytes_is_zero_rather_than_a_division_by_zero()
    {
        Assert.Equal(0.0, ExtraCost.Of(0, 500));
    }

    [Fact]
    public void Retransmission_share_is_a_strategys_extra_bytes_over_always_retransmitting()
    {
        // 300 / 1200 = 0.25; always retransmitting is 1; never is 0.
        Assert.Equal(0.25, ExtraCost.RetransmissionShare(300, 1200), Tol);
        Assert.Equal(1.0, ExtraCost.RetransmissionShare(1200, 1200), Tol);
        Assert.Equal(0.0, ExtraCost.RetransmissionShare(0, 1200), Tol);
        Assert.Equal(0.0, ExtraCost.RetransmissionShare(0, 0));
    }
}
