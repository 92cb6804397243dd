using CollabVlm.ServerNode;

// A server node: joins the cluster with role "server", loads the model, answers queries.
return await ServerCommandLine.Build().Parse(args).InvokeAsync();
