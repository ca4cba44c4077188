#!/usr/bin/env node
// The hasim command: runs the TypeScript sources through tsx, so no build step is needed.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`hasim: internal error (a bug, please report it with the command you ran):\n${err?.stack ?? err}\n`);
  process.exitCode = 3;
}
