using CtSegLabel.Cli.Commands;
using CtSegLabel.Cli;

// ctseg: the command-line face of the CT app. Exit codes: 0 ok, 1 unexpected failure,
// 2 bad input (a wrong command line or a file that fails validation, with a message naming it).
ICommand[] commands = [new InfoCommand(), new ConvertCommand()];
return CommandRunner.Run(commands, args, Console.Out, Console.Error);
