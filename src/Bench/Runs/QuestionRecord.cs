using CollabVlm.Bench.Datasets;

namespace CollabVlm.Bench.Runs;

/// <summary>
/// Everything measured about one question. <see cref="GlobalScores"/> holds the global answer's
/// uncertainty under every measure × aggregation (key: <c>UncertaintySpec.ToString()</c>), from
/// the direct (in-process) global pass <see cref="GlobalPass"/>. <see cref="RefinedPass"/> is the
/// always-retransmit answer the gates are replayed with: in-process in direct mode, otherwise the
/// cluster's (the same model and inputs; running it twice would only double the run's time). The
/// cluster passes are null in direct mode;
/// <see cref="FullFrame"/> is null when the question was not in the full-frame sample. <see cref="Extra"/>
/// holds in-process always-retransmit passes with other regions, by row name (the true-box crop,
/// the edge-proposal candidate), when the run made them.
/// </summary>
public sealed record QuestionRecord(
    DatasetItem Item,
    int FrameBytes,
    int FrameWidth,
    int FrameHeight,
    IReadOnlyDictionary<string, double> GlobalScores,
    PassResult GlobalPass,
    PassResult RefinedPass,
    PassResult? ClusterGlobalOnly,
    PassResult? ClusterAlways,
    PassResult? ClusterGated,
    PassResult? FullFrame,
    IReadOnlyDictionary<string, PassResult>? Extra = null);
