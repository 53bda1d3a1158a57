import { DataError } from '../core/diagnostics';

/** A flag's kind: takes a value, or is a switch. */
export type FlagSpec = Record<string, 'value' | 'switch'>;

export interface ParsedArgs {
  positional: string[];
  values: Map<string, string>;
  switches: Set<string>;
}

/** A subcommand's command line: its flags (--help is added), usage text, and how many FILE arguments it takes. */
export interface CommandSpec {
  name: string;
  flags: FlagSpec;
  usage: string;
  files: number;
  /** The DataError message when the count of FILE arguments is wrong. */
  filesMessage: string;
  /** Its code (default 'cli.args'). */
  filesCode?: string;
}

/**
 * A subcommand's arguments: undefined once --help has printed the usage (the command then exits 0),
 * else the parsed flags with exactly spec.files FILE arguments (otherwise a DataError).
 */
export function commandArgs(argv: string[], spec: CommandSpec, out: (text: string) => void): ParsedArgs | undefined {
  const args = parseArgs(argv, { ...spec.flags, help: 'switch' }, spec.name);
  if (args.switches.has('help')) {
    out(spec.usage);
    return undefined;
  }
  if (args.positional.length !== spec.files) throw new DataError({ code: spec.filesCode ?? 'cli.args', message: spec.filesMessage });
  return args;
}

/**
 * Parses `--name value`, `--name=value` and `--switch`; anything unknown is a DataError (exit 2)
 * naming the flag, so a typo never silently trains with defaults.
 */
export function parseArgs(argv: string[], spec: FlagSpec, command: string): ParsedArgs {
  const out: ParsedArgs = { positional: [], values: new Map(), switches: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      out.positional.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('--') || a === '-') {
      out.positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
    const kind = spec[name];
    if (!kind) throw new DataError({ code: 'cli.unknown-flag', message: `unknown option --${name} for '${command}' (see logit-lab ${command} --help)` });
    if (kind === 'switch') {
      if (eq >= 0) throw new DataError({ code: 'cli.flag-value', message: `--${name} takes no value` });
      out.switches.add(name);
      continue;
    }
    const value = eq >= 0 ? a.slice(eq + 1) : argv[++i];
    // `--out --json` is a missing value, not a file named "--json" (`--out=--json` still names one).
    if (value === undefined || (eq < 0 && value.startsWith('--') && value.length > 2)) throw new DataError({ code: 'cli.flag-value', message: `--${name} needs a value` });
    out.values.set(name, value);
  }
  return out;
}

export function numberFlag(args: ParsedArgs, name: string, check: (v: number) => boolean, expect: string): number | undefined {
  const raw = args.values.get(name);
  if (raw === undefined) return undefined;
  const v = raw.trim().toLowerCase() === 'inf' ? Infinity : Number(raw);
  if (raw.trim() === '' || Number.isNaN(v) || !check(v)) {
    throw new DataError({ code: 'cli.flag-value', message: `--${name} must be ${expect}, got '${raw}'` });
  }
  return v;
}

export function choiceFlag<T extends string>(args: ParsedArgs, name: string, choices: readonly T[]): T | undefined {
  const raw = args.values.get(name);
  if (raw === undefined) return undefined;
  if (!(choices as readonly string[]).includes(raw)) {
    throw new DataError({ code: 'cli.flag-value', message: `--${name} must be one of ${choices.join(', ')}, got '${raw}'` });
  }
  return raw as T;
}

export function listFlag(args: ParsedArgs, name: string): string[] | undefined {
  const raw = args.values.get(name);
  if (raw === undefined) return undefined;
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
