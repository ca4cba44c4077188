// The hasim command: dispatches to run, check, compare, sweep, merge, schema, bench and validate; maps errors to exit codes (SPEC §1).
import { InputError } from '../scenario/index.ts';
import { versionText } from '../versions.ts';
import { UsageError } from './args.ts';
import { benchCommand } from './bench.ts';
import { checkCommand } from './check.ts';
import { compareCommand } from './compare.ts';
import { cutsCommand } from './cuts.ts';
import { BENCH_HELP, CHECK_HELP, COMPARE_HELP, CUTS_HELP, MAIN_HELP, MERGE_HELP, RUN_HELP, SCHEMA_HELP, SWEEP_HELP, VALIDATE_HELP } from './help.ts';
import { mergeCommand } from './merge.ts';
import { EXIT_IO, IoError } from './output.ts';
import { runCommand } from './run.ts';
import { schemaCommand } from './schema.ts';
import { sweepCommand } from './sweep.ts';
import { validateCommand } from './validate.ts';
import { printErr } from './terminal.ts';

const COMMANDS: Record<string, { help: string; exec: (argv: string[]) => Promise<number> | number }> = {
  run: { help: RUN_HELP, exec: runCommand },
  check: { help: CHECK_HELP, exec: checkCommand },
  compare: { help: COMPARE_HELP, exec: compareCommand },
  cuts: { help: CUTS_HELP, exec: cutsCommand },
  sweep: { help: SWEEP_HELP, exec: sweepCommand },
  merge: { help: MERGE_HELP, exec: mergeCommand },
  schema: { help: SCHEMA_HELP, exec: schemaCommand },
  bench: { help: BENCH_HELP, exec: benchCommand },
  validate: { help: VALIDATE_HELP, exec: validateCommand },
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' && rest[0] ? COMMANDS[rest[0]] : undefined;
    if (name === 'help' && rest[0] !== undefined && !Object.hasOwn(COMMANDS, rest[0])) {
      printErr(`hasim help: unknown command ${JSON.stringify(rest[0])}. Commands: ${Object.keys(COMMANDS).join(', ')}.\n`);
      return 2;
    }
    process.stdout.write(`${topic ? topic.help : MAIN_HELP}\n`);
    return 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${versionText('0.1.0')}\n${runtimeLine()}\n`);
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    printErr(`hasim: unknown command "${name}". Commands: ${Object.keys(COMMANDS).join(', ')}. See 'hasim --help'.\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.help}\n`);
    return 0;
  }
  try {
    return await command.exec(rest);
  } catch (err) {
    if (err instanceof InputError || err instanceof UsageError) {
      printErr(`${err.message}\n`);
      return 2;
    }
    if (err instanceof IoError) {
      printErr(`${err.message}\n`);
      return EXIT_IO;
    }
    throw err;
  }
}

/**
 * The runtime the command runs on, with the young generation it got: bin/hasim.mjs starts node again
 * with --max-semi-space-size=64 unless told not to (HASIM_NO_RESPAWN=1, or a size in the node options).
 */
function runtimeLine(): string {
  const given = [...process.execArgv, process.env['NODE_OPTIONS'] ?? ''].join(' ').match(/--max-semi-space-size[= ](\d+)/);
  const young = given ? `${given[1]} MB semi-spaces` : 'V8\'s default semi-spaces';
  return `runtime: node ${process.version}, young generation ${young}`;
}

