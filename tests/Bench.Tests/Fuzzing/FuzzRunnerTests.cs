using CollabVlm.Bench.Fuzzing;

namespace CollabVlm.Bench.Tests.Fuzzing;

/// <summary>
/// The short version of <c>collabvlm-bench fuzz</c>: 20 000 mutated inputs over every entry point
/// that reads received bytes, none of which may throw anything but its documented error.
/// </summary>
public sealed class FuzzRunnerTests
{
    [Fact]
    public void Twenty_thousand_mutated_inputs_raise_only_documented_errors()
    {
        using var fuzz = new FuzzTargets();
        var reports = new FuzzRunner(fuzz.Targets, seed: 1, perInputBound: TimeSpan.FromMinutes(2), reproducerDirectory: null).Run(0, 20_000);

        Assert.Empty(reports.SelectMany(r => r.Crashes).Select(c => $"{c.Target} input {c.Index}: {c.ExceptionType}: {c.Message}"));
        Assert.Equal(20_000, reports.Sum(r => r.Inputs));
        // Every target both refused damaged inputs and accepted some: the mutations reach past the first check.
        Assert.All(reports, r => Assert.True(r.Errors.Count > 0 && r.Accepted > 0, $"{r.Name}: {r.Accepted} accepted, errors {string.Join(", ", r.Errors.Keys)}"));
    }

    [Fact]
    public void An_input_is_a_function_of_the_seed_and_its_index()
    {
        var mutator = new ByteMutator([[1, 2, 3, 4, 5, 6, 7, 8]], protocolFrames: false);
        var first = mutator.Mutate(new Random(FuzzRunner.InputSeed(5, 123)));
        var again = mutator.Mutate(new Random(FuzzRunner.InputSeed(5, 123)));
        Assert.Equal(first, again);
        Assert.NotEqual(FuzzRunner.InputSeed(5, 123), FuzzRunner.InputSeed(5, 124));
    }

    [Fact]
    public void Protocol_frames_mutated_inside_the_json_keep_a_matching_length()
    {
        var json = """{"queryId":"0f8fad5b-d9cb-469f-a165-70867728950e","reason":"busy","message":"x"}"""u8.ToArray();
        var frame = new byte[4 + json.Length];
        BitConverter.TryWriteBytes(frame, json.Length);
        json.CopyTo(frame, 4);
        var mutator = new ByteMutator([frame], protocolFrames: true);
        var consistent = Enumerable.Range(0, 200).Select(i => mutator.Mutate(new Random(i)))
            .Count(m => m.Length >= 4 && BitConverter.ToInt32(m) == m.Length - 4);
        Assert.InRange(consistent, 50, 200);
    }
}
