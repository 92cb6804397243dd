using CollabVlm.Bench;
using Spectre.Console;

if (Console.IsOutputRedirected)
{
    // Logs and CI: plain text, wide enough for the tables.
    AnsiConsole.Profile.Capabilities.Ansi = false;
    AnsiConsole.Profile.Width = 160;
}

// collabvlm-bench: `demo` runs a loopback cluster on generated frames (more verbs come with the benchmark).
return await BenchCommandLine.Build().Parse(args).InvokeAsync();
