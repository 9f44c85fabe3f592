using System.CommandLine;
using Switchyard.Cli;

var root = new RootCommand("Switchyard: a hybrid model router you control. Run 'switchyard serve' to start the gateway.");
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(LedgerCommand.Create());
root.Subcommands.Add(SimulateCommand.Create());
root.Subcommands.Add(TrainRouterCommand.Create());
root.Subcommands.Add(TrainVerifierCommand.Create());
root.Subcommands.Add(EvalCommand.Create());
root.Subcommands.Add(TcoCommand.Create());
root.Subcommands.Add(AdviseCommand.Create());
root.Subcommands.Add(BenchBackendCommand.Create());
root.Subcommands.Add(KeysCommand.Create());
root.Subcommands.Add(TeamsCommand.Create());
root.Subcommands.Add(FidelityCommand.Create());
root.Subcommands.Add(CatalogCommand.Create());
root.Subcommands.Add(ComplianceCommand.Create());

// The web host handles SIGINT/SIGTERM itself (graceful drain, ledger flush), so System.CommandLine must not.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }).ConfigureAwait(false);
