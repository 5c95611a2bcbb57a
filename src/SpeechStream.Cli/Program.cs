return await SpeechStream.Cli.CliApp.RunConsoleAsync(args);
