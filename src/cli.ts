// `npx segmint …` (DESIGN §1): validate a rules file, print the JSON Schema, simulate a visitor. A thin shell over the
// pure exports; `main` takes argv and an output sink, so tests call it without spawning a process. cli-main.ts runs it.
import { readFile } from "node:fs/promises";
import { rulesJsonSchema, safeParseRules } from "./rules/schema";

/** Where the CLI writes: one call per line. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

const USAGE = [
  "Usage: segmint <command>",
  "",
  "  segmint validate <rules.json>            check a rules file; one `path: message` line per problem",
  "  segmint simulate <rules.json> <history.json>",
  "                                           evaluate the rules for a visitor history",
  "  segmint schema                           print the JSON Schema (for \"$schema\" in your editor)",
  "  segmint --help                           show this help",
];

/** Runs one CLI command; resolves to the exit code (0 ok, 1 problems or bad usage, 2 not implemented); never rejects. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    for (const line of USAGE) io.out(line);
    return 0;
  }
  if (command === "validate" && args.length === 1) return validate(args[0]!, io);
  if (command === "simulate" && args.length === 2) return simulate(args[0]!, args[1]!, io);
  if (command === "schema" && args.length === 0) {
    io.out(JSON.stringify(rulesJsonSchema(), null, 2));
    return 0;
  }
  const known = ["validate", "simulate", "schema"].includes(command);
  io.err(known ? `segmint ${command}: wrong arguments (run \`segmint --help\`)` : `segmint: unknown command "${command}" (run \`segmint --help\`)`);
  return 1;
}

/** `segmint validate <file>`: a one-line summary, or one line per problem. */
async function validate(file: string, io: CliIo): Promise<number> {
  const json = await readJson(file, io);
  if (!json.ok) return 1;
  const result = safeParseRules(json.value);
  if (!result.success) {
    for (const issue of result.error.issues) io.out(`${issue.path}: ${issue.message}`);
    return 1;
  }
  const { segments, experiences, metrics } = result.data;
  const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;
  io.out(
    `${file}: valid — ${count(segments.length, "segment")}, ${count(experiences.length, "experience")}, ${count(Object.keys(metrics).length, "metric")}`,
  );
  return 0;
}

/**
 * `segmint simulate <rules> <history>`: not wired yet. It will evaluate the rules for the history through the same
 * engine the browser runs and print segments, metric values, experiences and `explain` per segment.
 */
export async function simulate(rulesPath: string, historyPath: string, io: CliIo): Promise<number> {
  io.err(`segmint simulate ${rulesPath} ${historyPath}: not implemented yet`);
  return 2;
}

/** Reads and parses a JSON file, or writes the one line that says why it could not. */
async function readJson(file: string, io: CliIo): Promise<{ ok: true; value: unknown } | { ok: false }> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : code === "EACCES" ? "permission denied" : String((e as Error).message);
    io.err(`${file}: cannot read (${why})`);
    return { ok: false };
  }
  try {
    // A UTF-8 byte-order mark is legal in a file but not in JSON.parse.
    return { ok: true, value: JSON.parse(text.replace(/^\uFEFF/, "")) };
  } catch (e) {
    io.err(`${file}: not valid JSON — ${jsonErrorWhere(text, (e as Error).message)}`);
    return { ok: false };
  }
}

/** V8's "… at position 42" with a line and column added, which is what editors show. */
function jsonErrorWhere(text: string, message: string): string {
  const position = /at position (\d+)/.exec(message);
  if (!position) return message;
  const before = text.slice(0, Number(position[1]));
  const line = before.split("\n").length;
  const column = before.length - before.lastIndexOf("\n");
  return `${message.replace(/\s*\(line \d+ column \d+\)/, "")} (line ${line}, column ${column})`;
}
