using CtSegLabel.Cli;

// ctseg: the command-line face of the CT app. Exit codes: 0 ok, 1 unexpected failure,
// 2 bad input (a wrong command line or a file that fails validation, with a message naming it).
return CommandRunner.Run(CtsegCommands.All, args, Console.Out, Console.Error);
