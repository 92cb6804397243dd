namespace CollabVlm.Bench.Tests.Runs;

/// <summary>The keys under which a question record holds its global scores.</summary>
internal static class SpecNames
{
    public static string[] All() => CollabVlm.Bench.Runs.DirectEvaluator.Specs.Select(s => s.ToString()).ToArray();
}
