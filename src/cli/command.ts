/** The shape every `sigh` subcommand has, so main.ts can list, dispatch and map exit codes. */

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  /** Folder that relative paths are resolved against. */
  cwd: string;
  /** True when stderr is a terminal, so progress bars may redraw in place. */
  stderrIsTTY: boolean;
  /** Set by --verbose: errors print their stack trace. */
  verbose: boolean;
}

export interface Command {
  name: string;
  /** One line for `sigh --help`. */
  summary: string;
  /** The full help text for `sigh NAME --help`. */
  usage: string;
  /**
   * Runs the command with the arguments after its name and returns the exit code.
   * Throws `UsageError` for a bad command line (exit 2) and any other error for a
   * failure (exit 1); main.ts prints the message.
   */
  run(args: string[], io: CliIo): Promise<number>;
}
