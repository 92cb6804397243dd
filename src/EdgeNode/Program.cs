using CollabVlm.EdgeNode;

// An edge node: `serve` hosts camera devices in the cluster; `ask` answers one question about one image.
return await EdgeCommandLine.Build().Parse(args).InvokeAsync();
