namespace CollabVlm.Operations.Tests.Dashboard;

/// <summary>One template variable: its name, kind (datasource, query, …), query, default value and "All" value.</summary>
public sealed record DashboardVariable(string Name, string Type, string? Query, string? DatasourceUid, string? Default, bool IncludeAll, string? AllValue);
