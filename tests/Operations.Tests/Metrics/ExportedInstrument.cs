namespace CollabVlm.Operations.Tests.Metrics;

/// <summary>An instrument as the meter publishes it, and the Prometheus series the exporter makes of it.</summary>
public sealed record ExportedInstrument(string Name, string? Unit, InstrumentKind Kind)
{
    /// <summary>
    /// The OpenTelemetry Prometheus exporter's naming (1.20.1-beta.1, checked against a live scrape in
    /// <see cref="Prometheus.PrometheusDashboardTests"/>): dots become underscores, the unit is appended as a word
    /// (annotations such as <c>{query}</c> and the unit <c>1</c> add nothing), counters end in <c>_total</c>.
    /// </summary>
    public string PrometheusName
    {
        get
        {
            var unit = Unit switch
            {
                null or "" or "1" => "",
                _ when Unit.StartsWith('{') => "",
                "s" => "_seconds",
                "By" => "_bytes",
                "By/s" => "_bytes_per_second",
                "bit" => "_bit",
                _ => throw new InvalidOperationException($"instrument {Name} has unit '{Unit}', which this mapping does not know yet: add it here and let the live-scrape test confirm it"),
            };
            return Name.Replace('.', '_') + unit + (Kind == InstrumentKind.Counter ? "_total" : "");
        }
    }

    /// <summary>The series names a query may use: histograms expose _bucket, _sum and _count.</summary>
    public IEnumerable<string> SeriesNames => Kind == InstrumentKind.Histogram
        ? [PrometheusName + "_bucket", PrometheusName + "_sum", PrometheusName + "_count"]
        : [PrometheusName];
}
