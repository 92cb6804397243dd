using CollabVlm.NodeDefaults;
using CollabVlm.Simulation.Hosting;
using Microsoft.Extensions.Configuration;

namespace CollabVlm.Simulation.Tests.Hosting;

public sealed class SimulationSettingsTests
{
    [Fact]
    public void Simulation_is_off_by_default_and_an_unknown_key_in_its_section_is_an_error_naming_it()
    {
        Assert.False(new SimulationSettings().Enabled);
        Assert.Contains("Simulation:MinTextPixels", new SimulationSettings { MinTextPixels = 50, MaxTextPixels = 40 }.Validate(), StringComparison.Ordinal);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Simulation:AskEvery"] = "00:00:01" }).Build();
        var error = Assert.Throws<SettingsException>(() => NodeConfiguration.Bind<SimulationSettings>(configuration, "Simulation", s => s.Validate()));
        Assert.Contains("AskEvery", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_negative_question_count_or_a_missing_frame_folder_is_an_error_naming_the_key()
    {
        Assert.Contains("Simulation:QuestionsPerDevice", new SimulationSettings { QuestionsPerDevice = -1 }.Validate(), StringComparison.Ordinal);
        var missing = Path.Combine(Path.GetTempPath(), "no-such-frames-" + Guid.NewGuid().ToString("N"));
        Assert.Contains("Simulation:FrameFolder", new SimulationSettings { FrameFolder = missing }.Validate(), StringComparison.Ordinal);
        Assert.Null(new SimulationSettings { QuestionsPerDevice = 5, FrameFolder = Path.GetTempPath() }.Validate());
    }
}
