// `npx segmint …` (DESIGN §1): validate a rules file, print the JSON Schema, simulate a visitor. A thin shell over the
// pure exports; `main` takes argv and an output sink, so tests call it without spawning a process. cli-main.ts runs it.
import { readFile } from "node:fs/promises";
import { rulesJsonSchema, safeParseRules } from "./rules/schema";
import { simulate as simulateHistory, type History, type Simulation } from "./rules/simulate";

/** Where the CLI writes: one call per line. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

const USAGE = [
  "Usage: segmint <command>",
  "",
  "  segmint validate <rules.json>            check a rules file; one `path: message` line per problem",
  "  segmint simulate <rules.json> <history.json> [--json]",
  "                                           evaluate the rules for a visit history: segments, metrics,",
  "                                           experiences and why each segment matched",
  "  segmint schema                           print the JSON Schema (for \"$schema\" in your editor)",
  "  segmint --help                           show this help",
];

/** Runs one CLI command; resolves to the exit code (0 ok, 1 problems or bad usage); never rejects. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    for (const line of USAGE) io.out(line);
    return 0;
  }
  if (command === "validate" && args.length === 1) return validate(args[0]!, io);
  const json = args.includes("--json");
  const files = args.filter((a) => a !== "--json");
  if (command === "simulate" && files.length === 2) return simulate(files[0]!, files[1]!, io, json);
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
 * `segmint simulate <rules> <history>`: evaluates the rules for a visit history with the engine the browser runs,
 * and prints segments, metric values, experiences and `explain` per segment (`--json` prints it all as JSON).
 */
export async function simulate(rulesPath: string, historyPath: string, io: CliIo, json = false): Promise<number> {
  const rulesJson = await readJson(rulesPath, io);
  const historyJson = await readJson(historyPath, io);
  if (!rulesJson.ok || !historyJson.ok) return 1;
  const rules = safeParseRules(rulesJson.value);
  if (!rules.success) {
    for (const issue of rules.error.issues) io.out(`${rulesPath}: ${issue.path}: ${issue.message}`);
    return 1;
  }
  const problem = historyProblem(historyJson.value);
  if (problem) {
    io.err(`${historyPath}: ${problem}`);
    return 1;
  }
  const result = simulateHistory(rules.data, historyJson.value as History);
  if (json) io.out(JSON.stringify(result, null, 2));
  else for (const line of describeSimulation(result)) io.out(line);
  return 0;
}

function historyProblem(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null || !Array.isArray((value as History).events)) return 'expected { "events": [ { "t", "type", "path", … } ] }';
  const bad = (value as History).events.findIndex((e) => typeof e !== "object" || e === null || typeof e.type !== "string" || Number.isNaN(typeof e.t === "number" ? e.t : Date.parse(String(e.t))));
  return bad >= 0 ? `events[${bad}]: needs a "type" and a time "t" (ISO string or epoch ms)` : undefined;
}

function describeSimulation(result: Simulation): string[] {
  const show = (value: unknown) => JSON.stringify(value);
  return [
    `segments: ${result.segments.join(", ") || "(none)"}`,
    "metrics:",
    ...Object.entries(result.metrics).map(([name, value]) => `  ${name}: ${show(value)}`),
    "experiences:",
    ...result.experiences.map((e) => `  ${e.id}: ${e.state}${e.variant ? ` (${e.variant})` : ""}${e.reason ? ` — ${e.reason}` : ""}`),
    "explain:",
    ...result.explain.flatMap((x) => [
      `  ${x.segment}: ${x.member ? (x.sticky ? "member (sticky)" : "member") : "not a member"}`,
      ...x.conditions.map((c) => `    ${c.pass ? "✓" : "✗"} ${c.path} ${c.operator} ${show(c.expected)} — actual ${show(c.actual)}`),
    ]),
  ];
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
