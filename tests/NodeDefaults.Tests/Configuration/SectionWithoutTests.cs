using CollabVlm.NodeDefaults;
using Microsoft.Extensions.Configuration;

namespace CollabVlm.NodeDefaults.Tests.Configuration;

/// <summary>The Model section less its Backend key, as the backend factory binds it: list entries must survive.</summary>
public sealed class SectionWithoutTests
{
    [Fact]
    public void Drops_the_key_keeps_the_rest_and_list_entries_and_nothing_of_other_sections()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Model:Backend"] = "openai",
            ["Model:ModelName"] = "m",
            ["Model:Endpoints:0"] = "http://a:8000/v1",
            ["Model:Endpoints:1"] = "http://b:8000/v1",
            ["Server:Threshold"] = "0.5",
        }).Build();

        var rest = NodeConfiguration.SectionWithout(configuration, "Model", "backend");

        Assert.Null(rest["Model:Backend"]);
        Assert.Equal("m", rest["Model:ModelName"]);
        Assert.Equal(["http://a:8000/v1", "http://b:8000/v1"], rest.GetSection("Model:Endpoints").Get<string[]>()!);
        Assert.Empty(rest.GetSection("Server").GetChildren());
    }
}
