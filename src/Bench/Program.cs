using CollabVlm.Bench;
using Spectre.Console;

if (Console.IsOutputRedirected)
{
    // Logs and CI: plain text, wide enough for the tables.
    AnsiConsole.Profile.Capabilities.Ansi = false;
    AnsiConsole.Profile.Width = 160;
}

// collabvlm-bench: demo | generate | run | calibrate.
// Ctrl-C cancels the command's token; runs then stop, stop the cluster and write what they measured,
// which takes longer than System.CommandLine's default 2 s before it kills the process.
return await BenchCommandLine.Build().Parse(args).InvokeAsync(new System.CommandLine.InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(90) });
