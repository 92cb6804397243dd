using CollabVlm.Actors.Server;
using CollabVlm.Bench.Calibration;
using CollabVlm.Inference;
using CollabVlm.NodeDefaults;
using CollabVlm.Simulation.Evaluation;
using CollabVlm.TwoStage;

namespace CollabVlm.Bench.Tests.Calibration;

public sealed class ServerSettingsFileTests
{
    [Fact]
    public void The_written_file_is_what_the_server_loads_with_config()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "calibrated.json");
        ServerSettingsFile.Write(path, 0.4217, new UncertaintySpec(UncertaintyMeasure.Shannon, TokenAggregation.MeanOfFirstK, 3));

        // The same path the server's --config takes: layered configuration, section check, strict binding.
        var configuration = NodeConfiguration.Build(path, new Dictionary<string, string?>());
        NodeConfiguration.CheckSections(configuration);
        var settings = NodeConfiguration.Bind<ServerSettings>(configuration, "Server", s => s.Validate());
        Assert.Equal(0.4217, settings.Threshold, 9);
        Assert.Equal(UncertaintyMeasure.Shannon, settings.Measure);
        Assert.Equal(TokenAggregation.MeanOfFirstK, settings.Aggregation);
        // Everything else stays at the server's defaults.
        Assert.Equal(new ServerSettings().MaxInFlight, settings.MaxInFlight);
    }

    [Fact]
    public void A_negative_threshold_is_refused_before_anything_is_written()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "bad.json");
        Assert.Throws<ArgumentOutOfRangeException>(() => ServerSettingsFile.Write(path, -1, UncertaintySpec.Default));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Calibration_picks_eta_on_one_split_and_reports_it_on_the_other()
    {
        // 40 questions: uncertainty i/10; the global answer is wrong exactly when it is above 2.
        var cases = Enumerable.Range(0, 40).Select(i => new GateCase(i / 10.0, i <= 20, true, i <= 20 ? 1 : 0, 1, 100, 400, 10, 10)).ToList();
        var outcome = ThresholdCalibrator.Calibrate(cases, "MinEntropy/Mean", targetShare: null, targetAccuracy: 1.0, calibrationFraction: 0.5, seed: 3)!;
        Assert.Equal(20, outcome.CalibrationQuestions);
        Assert.Equal(20, outcome.HeldOutQuestions);
        // The largest η with every calibration answer right lies in [2.0, 2.1): every held-out question is right too.
        Assert.InRange(outcome.Threshold, 2.0, 2.1);
        Assert.Equal(1.0, outcome.OnHeldOut.AccuracyEm);
        Assert.True(outcome.OnHeldOut.RetransmissionShare < 1.0);
        Assert.Equal(outcome.OnHeldOut.Retransmitted, outcome.HeldOutRandom.Retransmitted);
        Assert.Throws<ArgumentException>(() => ThresholdCalibrator.Calibrate(cases, "x", 0.2, 0.9, 0.5, 1));
    }
}
