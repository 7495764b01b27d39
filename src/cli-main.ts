// The CLI's entry (dist/cli.mjs, the package's `bin`; the build adds the shebang). Kept apart from cli.ts so that
// importing cli.ts in tests runs nothing.
import { main } from "./cli";

void main(process.argv.slice(2), {
  out: (line) => void process.stdout.write(`${line}\n`),
  err: (line) => void process.stderr.write(`${line}\n`),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // main handles every expected failure; anything else is a bug, reported in one line rather than a stack trace.
    process.stderr.write(`segmint: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
