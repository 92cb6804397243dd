namespace CollabVlm.Operations.Tests.Dashboard;

/// <summary>
/// One panel: its id, title, kind, the datasource uid of the panel and of each query, the unit of its values
/// (<c>fieldConfig.defaults.unit</c>; null when unset) and its PromQL queries.
/// </summary>
public sealed record DashboardPanel(int Id, string Title, string Type, string? DatasourceUid, IReadOnlyList<string?> QueryDatasourceUids, string? Unit, IReadOnlyList<string> Queries);
