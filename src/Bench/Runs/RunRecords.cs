using System.Text.Json;
using CollabVlm.Bench.Datasets;

namespace CollabVlm.Bench.Runs;

/// <summary>Reads back what a run measured (<c>questions.jsonl</c> and the context in <c>results.json</c>) for calibration and re-reporting without model calls.</summary>
public static class RunRecords
{
    public static IReadOnlyList<QuestionRecord> Read(string folder)
    {
        var path = Path.Combine(folder, BenchRunner.QuestionsFile);
        if (!File.Exists(path))
            throw new DatasetFormatException($"{path} not found: give the --out folder of `collabvlm-bench run`");
        var records = new List<QuestionRecord>();
        var line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            try
            {
                records.Add(JsonSerializer.Deserialize<QuestionRecord>(text) ?? throw new JsonException("the line holds null"));
            }
            catch (JsonException e)
            {
                throw new DatasetFormatException($"{BenchRunner.QuestionsFile} line {line}: {e.Message}");
            }
        }
        return records;
    }

    /// <summary>The context a run recorded in its results.json (data set, η, seed, mode, link, model).</summary>
    public static RunContext ReadContext(string folder)
    {
        var path = Path.Combine(folder, RunReport.ResultsFile);
        if (!File.Exists(path))
            throw new DatasetFormatException($"{path} not found: give the --out folder of `collabvlm-bench run`");
        try
        {
            var r = JsonSerializer.Deserialize<RunResults>(File.ReadAllText(path), RunReport.Json) ?? throw new JsonException("the file holds null");
            return new RunContext(r.Dataset, r.QuestionsPlanned, r.Interrupted, r.Threshold, r.Seed, r.HeadlineMode == HeadlineView.DirectMode, r.Link, r.Model,
                r.Budget, r.BudgetTracking?.Window ?? new TwoStage.ServerSettings().RetransmitBudgetWindow, BudgetBytes: r.BudgetBytes, EdgeScan: r.EdgeScan);
        }
        catch (JsonException e)
        {
            throw new DatasetFormatException($"{path}: {e.Message}");
        }
    }
}
