namespace CollabVlm.Operations.Tests.Dashboard;

/// <summary>One panel: its id, title, datasource uid and PromQL queries.</summary>
public sealed record DashboardPanel(int Id, string Title, string? DatasourceUid, IReadOnlyList<string> Queries);
