import type { EngineName, OutputFormat } from '../types';

/**
 * kubeconform's command line, parsed with Go's flag package rules: "-flag" or "--flag",
 * "-flag=value" or "-flag value" for non-boolean flags, "-flag=false" for booleans, "--" ends the
 * flags. Unlike Go, flags may also follow file names (a file literally named "-x" needs "--").
 */

export interface CliArguments {
  files: string[];
  strict: boolean;
  summary: boolean;
  verbose: boolean;
  ignoreMissingSchemas: boolean;
  exitOnError: boolean;
  debug: boolean;
  insecureSkipTlsVerify: boolean;
  help: boolean;
  version: boolean;
  output: OutputFormat;
  schemaLocations: string[];
  ignoreFilenamePatterns: string[];
  skip: string[];
  reject: string[];
  kubernetesVersion: string;
  cache?: string;
  workers: number;
  engine: 'auto' | EngineName;
}

type BoolFlag = 'strict' | 'summary' | 'verbose' | 'ignoreMissingSchemas' | 'exitOnError' | 'debug' | 'insecureSkipTlsVerify' | 'help' | 'version';

const BOOL_FLAGS: Record<string, BoolFlag> = {
  strict: 'strict',
  summary: 'summary',
  verbose: 'verbose',
  'ignore-missing-schemas': 'ignoreMissingSchemas',
  'exit-on-error': 'exitOnError',
  debug: 'debug',
  'insecure-skip-tls-verify': 'insecureSkipTlsVerify',
  h: 'help',
  help: 'help',
  v: 'version',
};

const VALUE_FLAGS = new Set([
  'schema-location',
  'ignore-filename-pattern',
  'skip',
  'reject',
  'kubernetes-version',
  'cache',
  'n',
  'output',
  'engine',
  'cpu-prof',
]);

const OUTPUTS: OutputFormat[] = ['json', 'junit', 'tap', 'text'];

export const USAGE = `Usage: kubeconform-wrapper [OPTION]... [FILE OR FOLDER]...
  -cache string                 cache schemas downloaded via HTTP to this folder
  -debug                        print debug information
  -engine string                auto (default: kubeconform if found, else builtin), builtin or kubeconform
  -exit-on-error                immediately stop execution when the first error is encountered
  -h                            show help information
  -ignore-filename-pattern value  regular expression specifying paths to ignore (can be specified multiple times)
  -ignore-missing-schemas       skip files with missing schemas instead of failing
  -insecure-skip-tls-verify     disable verification of the server's SSL certificate
  -kubernetes-version string    version of Kubernetes to validate against, e.g.: 1.18.0 (default "master")
  -n int                        number of goroutines/downloads to run concurrently (default 4)
  -output string                output format - json, junit, tap, text (default "text")
  -reject string                comma-separated list of kinds or GVKs to reject
  -schema-location value        override schemas location search path (can be specified multiple times)
  -skip string                  comma-separated list of kinds or GVKs to ignore
  -strict                       disallow additional properties not in schema or duplicated keys
  -summary                      print a summary at the end (ignored for junit output)
  -v                            show version information
  -verbose                      print results for all resources (ignored for tap and junit output)
Environment: KUBECONFORM_BIN (kubeconform binary to delegate to), KUBECONFORM_WRAPPER_ENGINE (builtin|kubeconform).
`;

function parseBool(name: string, value: string): boolean {
  if (/^(1|t|T|TRUE|true|True)$/.test(value)) return true;
  if (/^(0|f|F|FALSE|false|False)$/.test(value)) return false;
  throw new Error(`invalid boolean value "${value}" for -${name}`);
}

export function parseArguments(argv: string[]): CliArguments {
  const args: CliArguments = {
    files: [],
    strict: false,
    summary: false,
    verbose: false,
    ignoreMissingSchemas: false,
    exitOnError: false,
    debug: false,
    insecureSkipTlsVerify: false,
    help: false,
    version: false,
    output: 'text',
    schemaLocations: [],
    ignoreFilenamePatterns: [],
    skip: [],
    reject: [],
    kubernetesVersion: 'master',
    workers: 4,
    engine: 'auto',
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      args.files.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-' || !arg.startsWith('-')) {
      args.files.push(arg);
      continue;
    }
    const body = arg.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq >= 0 ? body.slice(0, eq) : body;
    const inline = eq >= 0 ? body.slice(eq + 1) : undefined;
    if (name in BOOL_FLAGS) {
      args[BOOL_FLAGS[name]] = inline === undefined ? true : parseBool(name, inline);
      continue;
    }
    if (!VALUE_FLAGS.has(name)) throw new Error(`flag provided but not defined: -${name}`);
    let value = inline;
    if (value === undefined) {
      if (i + 1 >= argv.length) throw new Error(`flag needs an argument: -${name}`);
      value = argv[++i];
    }
    switch (name) {
      case 'schema-location':
        args.schemaLocations.push(value);
        break;
      case 'ignore-filename-pattern':
        args.ignoreFilenamePatterns.push(value);
        break;
      case 'skip':
        args.skip = value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        break;
      case 'reject':
        args.reject = value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        break;
      case 'kubernetes-version':
        args.kubernetesVersion = value;
        break;
      case 'cache':
        args.cache = value;
        break;
      case 'n': {
        const n = Number(value);
        if (!Number.isInteger(n)) throw new Error(`invalid value "${value}" for flag -n: parse error`);
        args.workers = n;
        break;
      }
      case 'output':
        if (!OUTPUTS.includes(value as OutputFormat)) throw new Error(`-output must be one of ${OUTPUTS.join(', ')}`);
        args.output = value as OutputFormat;
        break;
      case 'engine':
        if (value !== 'auto' && value !== 'builtin' && value !== 'kubeconform') throw new Error('-engine must be auto, builtin or kubeconform');
        args.engine = value;
        break;
      case 'cpu-prof':
        break; // accepted for compatibility; there is no Go profiler here
    }
  }
  return args;
}
