import { formatReport } from '../format';
import { validate } from '../validate';
import { parseArguments, USAGE, type CliArguments } from './args';

export const VERSION = '0.1.0';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  stdinText?: () => string;
}

const processIo: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
};

/** Runs the CLI; returns the exit code (0 all valid, 1 invalid resources or errors, like kubeconform). */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  let args: CliArguments;
  try {
    args = parseArguments(argv);
  } catch (e) {
    io.stderr(`failed parsing command line: ${(e as Error).message}\n${USAGE}`);
    return 1;
  }
  if (args.help) {
    io.stdout(USAGE);
    return 0;
  }
  if (args.version) {
    io.stdout(`kubeconform-wrapper ${VERSION}\n`);
    return 0;
  }
  if (args.insecureSkipTlsVerify) {
    // The same switch kubeconform's flag flips, for Node's HTTP client.
    io.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
  }
  try {
    const report = await validate({
      // kubeconform reads stdin when no file is given.
      inputs: args.files.length > 0 ? args.files : ['-'],
      schemaLocations: args.schemaLocations,
      strict: args.strict,
      kubernetesVersion: args.kubernetesVersion,
      skip: args.skip,
      reject: args.reject,
      ignoreMissingSchemas: args.ignoreMissingSchemas,
      cacheDir: args.cache,
      ignoreFilenamePatterns: args.ignoreFilenamePatterns,
      workers: args.workers,
      engine: args.engine,
      env: io.env,
      stdinText: io.stdinText,
      exitOnError: args.exitOnError,
      insecureSkipTlsVerify: args.insecureSkipTlsVerify,
      debug: args.debug ? (line) => io.stderr(`${line}\n`) : undefined,
    });
    io.stdout(formatReport(report, args.output, { summary: args.summary, verbose: args.verbose }));
    return report.ok ? 0 : 1;
  } catch (e) {
    io.stderr(`${(e as Error).message}\n`);
    return 1;
  }
}
