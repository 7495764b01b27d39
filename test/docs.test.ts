// @vitest-environment node
// The user docs (docs/*.md) are tested, so that what they show is what segmint does. Every fenced block is read with
// the HTML comments just above it (blank lines may sit between), which say what the block is:
//
//   ```json with a top-level "version"  a whole rules file: `parseRules` must accept it.
//   <!-- invalid: PATH -->              the next json block must be refused, with an issue at PATH (repeatable).
//   <!-- base -->                       the rules file that fragments are checked inside (the doc's first one).
//   <!-- fragment: KIND -->             a part of a rules file, checked inside the base: `condition` (a condition on
//                                       the context, as a segment's `when`), `segments` (replacing base segments of
//                                       the same ids), `metrics`, `experiences` (replacing the base's), `changes` (one
//                                       experience's), or a root section (`tracking`, `groups`, `profiling`, `interests`).
//   <!-- context: NAME -->              an example context document, named; its shape must be the real one.
//   <!-- condition on NAME: true -->    a condition: `evalCondition` on context NAME, with the base's groups, must give
//                                       that result; it is also checked as a `condition` fragment.
//   <!-- file: NAME -->                 the block is the file NAME for the commands of later ```console blocks.
//   ```console                          each `$ npx segmint …` line runs the CLI (src/cli.ts `main`) on those files;
//                                       the lines up to the next `$` must be exactly what it prints.
//   ```ts                               type-checked with tsc against src/ ("segmint" and "segmint/debug" map to the
//                                       entries); a block that does not create `sm` gets `declare const sm: Segmint`.
//
// A json block with none of these fails the test: every example is checked. Beyond the blocks: relative links and
// #anchors resolve, and the docs name every error code, Segmint member, option, event, export, rules-file key,
// operator, context path and data attribute the source has.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import * as segmint from "../src/index";
import { evalCondition, parseRules, rulesJsonSchema, safeParseRules, type Condition, type Groups } from "../src/index";
import * as debugEntry from "../src/debug/index";
import { main } from "../src/cli";
import { ErrorCodes } from "../src/report";
import { OPERATORS } from "../src/rules/operators";
import { METRIC_KINDS } from "../src/rules/references";
import { simulate } from "../src/rules/simulate";

const ROOT = resolve(__dirname, "..");
const DOCS = readdirSync(join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`);
const read = (file: string) => readFileSync(join(ROOT, file), "utf8");
const tmp = mkdtempSync(join(tmpdir(), "segmint-docs-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

type Dict = Record<string, unknown>;

interface Block {
  doc: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  text: string;
  notes: string[];
}

/** Fenced blocks with the HTML comments right above them. */
function blocksOf(doc: string): Block[] {
  const lines = read(doc).split("\n");
  const blocks: Block[] = [];
  let notes: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = /^(\s*)```(\S*)\s*$/.exec(line);
    if (fence) {
      const start = i;
      const body: string[] = [];
      while (++i < lines.length && !/^\s*```\s*$/.test(lines[i]!)) body.push(lines[i]!.slice(fence[1]!.length));
      blocks.push({ doc, line: start + 1, lang: fence[2]!, text: body.join("\n"), notes });
      notes = [];
    } else if (/^\s*<!--.*-->\s*$/.test(line)) notes.push(line.trim().slice(4, -3).trim());
    else if (line.trim() !== "") notes = [];
  }
  return blocks;
}

const where = (b: Block) => `${b.doc}:${b.line}`;
const note = (b: Block, prefix: string) => b.notes.filter((n) => n.startsWith(prefix)).map((n) => n.slice(prefix.length).trim());
const isObj = (v: unknown): v is Dict => typeof v === "object" && v !== null && !Array.isArray(v);

const ALL = DOCS.flatMap(blocksOf);
const JSON_BLOCKS = ALL.filter((b) => b.lang === "json");

// ---- rules files, fragments and the base ----------------------------------------------------------------------

function baseOf(doc: string): Dict {
  const base = ALL.find((b) => b.doc === doc && b.notes.includes("base"));
  return base ? (JSON.parse(base.text) as Dict) : { version: 1 };
}

/** A fragment inside (a copy of) the base, without the base's experiences. */
function wrap(kind: string, value: unknown, base: Dict): Dict {
  const rules = structuredClone(base);
  delete rules.experiences;
  const list = [value].flat();
  switch (kind) {
    case "condition":
      rules.segments = [...((rules.segments as unknown[]) ?? []), { id: "doc-example", when: value }];
      break;
    case "segments": {
      const ids = list.map((s) => (s as Dict).id);
      rules.segments = [...((rules.segments as Dict[]) ?? []).filter((s) => !ids.includes(s.id)), ...list];
      break;
    }
    case "metrics":
      rules.metrics = { ...(rules.metrics as Dict), ...(value as Dict) };
      break;
    case "experiences":
      rules.experiences = list;
      break;
    case "changes":
      rules.experiences = [{ id: "doc-example", changes: list }];
      break;
    case "tracking":
    case "groups":
    case "profiling":
    case "interests":
      rules[kind] = value;
      break;
    default:
      throw new Error(`unknown fragment kind "${kind}"`);
  }
  return rules;
}

/** Every rules file the docs show as valid: whole files and fragments in their base. */
function validRulesFiles(): Array<{ block: Block; rules: Dict }> {
  return JSON_BLOCKS.flatMap((b) => {
    if (note(b, "invalid:").length) return [];
    const value = JSON.parse(b.text) as unknown;
    if (isObj(value) && "version" in value) return [{ block: b, rules: value }];
    const kinds = [...note(b, "fragment:"), ...(note(b, "condition on").length ? ["condition"] : [])];
    return kinds.map((kind) => ({ block: b, rules: wrap(kind, value, baseOf(b.doc)) }));
  });
}

describe("json blocks", () => {
  it("every json block is checked (a rules file, or annotated)", () => {
    const unchecked = JSON_BLOCKS.filter((b) => {
      if (b.notes.some((n) => /^(invalid|fragment|context|condition on|file):?/.test(n))) return false;
      try {
        const value = JSON.parse(b.text) as unknown;
        return !(isObj(value) && "version" in value);
      } catch {
        return true;
      }
    });
    expect(unchecked.map(where)).toEqual([]);
  });

  it("every json block is JSON, unless marked invalid", () => {
    const broken = JSON_BLOCKS.filter((b) => !note(b, "invalid:").length).filter((b) => {
      try {
        JSON.parse(b.text);
        return false;
      } catch {
        return true;
      }
    });
    expect(broken.map(where)).toEqual([]);
  });

  it("rules files and fragments pass parseRules", () => {
    const files = validRulesFiles();
    expect(files.length).toBeGreaterThan(10);
    const problems = files.flatMap(({ block, rules }) => {
      const result = safeParseRules(rules);
      return result.success ? [] : [`${where(block)}: ${result.error.message}`];
    });
    expect(problems).toEqual([]);
    // parseRules itself (not only its safe form) accepts them.
    for (const { rules } of files) expect(() => parseRules(rules)).not.toThrow();
  });

  it("blocks marked invalid are refused, with an issue at the path given", () => {
    const marked = JSON_BLOCKS.filter((b) => note(b, "invalid:").length);
    expect(marked.length).toBeGreaterThan(5);
    for (const b of marked) {
      const result = safeParseRules(b.text);
      expect(result.success, `${where(b)} should be refused`).toBe(false);
      const paths = result.success ? [] : result.error.issues.map((i) => i.path);
      for (const path of note(b, "invalid:")) expect(paths, `${where(b)} should have an issue at ${path}`).toContain(path);
    }
  });
});

// ---- conditions on example contexts ---------------------------------------------------------------------------

describe("condition examples", () => {
  const contexts = new Map<string, unknown>();
  for (const b of JSON_BLOCKS) for (const name of note(b, "context:")) contexts.set(`${b.doc}#${name}`, JSON.parse(b.text));
  const conditions = JSON_BLOCKS.filter((b) => note(b, "condition on").length);

  it("give the result the docs say", () => {
    expect(conditions.length).toBeGreaterThan(20);
    for (const b of conditions) {
      const [, name, expected] = /^(\S+):\s*(true|false)$/.exec(note(b, "condition on")[0]!) ?? [];
      const context = contexts.get(`${b.doc}#${name}`);
      expect(context, `${where(b)}: no context "${name}" in ${b.doc}`).toBeDefined();
      const groups = (baseOf(b.doc).groups ?? {}) as Groups;
      expect(evalCondition(context, JSON.parse(b.text) as Condition, groups), where(b)).toBe(expected === "true");
    }
  });

  it("show every operator, each in a condition that is evaluated", () => {
    const used = new Set<string>();
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (isObj(v)) for (const [k, x] of Object.entries(v)) (k.startsWith("$") && used.add(k), walk(x));
    };
    for (const b of conditions) walk(JSON.parse(b.text));
    expect(OPERATORS.filter((op) => !used.has(op))).toEqual([]);
  });

  it("use contexts of the real shape", () => {
    // A context the engine builds, with the optional parts present (a click id, a search engine's term).
    const real = simulate(parseRules({ version: 1 }), {
      now: 0,
      page: { url: "https://a.example/?gclid=x", referrer: "https://www.google.com/search?q=x" },
      events: [],
    }).context as unknown as Dict;
    const keys = (v: unknown) => (isObj(v) ? Object.keys(v).sort() : []);
    expect(contexts.size).toBeGreaterThan(0);
    for (const [name, context] of contexts) {
      const doc = context as Dict;
      expect(keys(doc), name).toEqual(keys(real));
      for (const part of ["page", "visitor", "device", "time"]) expect(keys(doc[part]), `${name} ${part}`).toEqual(keys(real[part]));
      const session = doc.session as Dict;
      const realSession = real.session as Dict;
      expect(keys(session), `${name} session`).toEqual(keys(realSession));
      // `term` is there only when the search engine sends one.
      expect(keys(session.referrer).filter((k) => k !== "term"), `${name} referrer`).toEqual(keys(realSession.referrer).filter((k) => k !== "term"));
      expect(keys(session.clickId), `${name} clickId`).toEqual(keys(realSession.clickId));
    }
  });
});

// ---- console sessions run through the CLI ---------------------------------------------------------------------

async function runCli(argv: string[]): Promise<string[]> {
  const lines: string[] = [];
  await main(argv, { out: (l) => lines.push(l), err: (l) => lines.push(l) });
  return lines.flatMap((l) => l.split("\n")).map((l) => l.split(`${tmp}/`).join("").trimEnd());
}

describe("the RFM example", () => {
  it("shows the rules of test/fixtures/rfm.rules.json, as it says", () => {
    const shown = JSON_BLOCKS.find((b) => b.doc === "docs/rfm-example.md" && b.notes.includes("base"));
    const fixture = JSON.parse(read("test/fixtures/rfm.rules.json")) as Dict;
    const { $schema: _a, ...rules } = JSON.parse(shown!.text) as Dict;
    const { $schema: _b, ...expected } = fixture;
    expect(rules).toEqual(expected);
  });
});

describe("console examples", () => {
  it("print exactly what the CLI prints", async () => {
    let commands = 0;
    const used = new Set<string>();
    const mismatches: Array<{ at: string; expected: string[]; actual: string[] }> = [];
    for (const doc of DOCS) {
      const files = new Map<string, Block>();
      for (const b of blocksOf(doc)) {
        for (const name of note(b, "file:")) files.set(name, b);
        if (b.lang !== "console") continue;
        const lines = b.text.split("\n");
        for (let i = 0; i < lines.length; i++) {
          const command = /^\$ npx segmint (.*)$/.exec(lines[i]!);
          expect(command, `${where(b)}: a console block runs only \`npx segmint …\`, got "${lines[i]}"`).not.toBeNull();
          const expected: string[] = [];
          while (i + 1 < lines.length && !lines[i + 1]!.startsWith("$ ")) expected.push(lines[++i]!.trimEnd());
          const argv = command![1]!.split(/\s+/).map((arg) => {
            const file = files.get(arg);
            if (!file) return arg;
            used.add(`${doc}#${arg}#${file.line}`);
            writeFileSync(join(tmp, arg), file.text);
            return join(tmp, arg);
          });
          const actual = await runCli(argv);
          if (JSON.stringify(actual) !== JSON.stringify(expected)) mismatches.push({ at: `${where(b)}: ${lines[i]}`, expected, actual });
          commands++;
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(commands).toBeGreaterThan(5);
    // A file block no command reads would be an unchecked example.
    const files = ALL.flatMap((b) => note(b, "file:").map((name) => `${b.doc}#${name}#${b.line}`));
    expect(files.filter((f) => !used.has(f))).toEqual([]);
  });

  it("run every metric kind, with where and withinDays, through simulate", () => {
    const kinds = new Set<string>();
    for (const b of JSON_BLOCKS.filter((b) => note(b, "file:").length && !note(b, "invalid:").length)) {
      const metrics = (JSON.parse(b.text) as Dict).metrics;
      if (isObj(metrics)) for (const def of Object.values(metrics)) for (const key of Object.keys(def as Dict)) kinds.add(key);
    }
    expect([...METRIC_KINDS, "where", "withinDays"].filter((k) => !kinds.has(k))).toEqual([]);
  });
});

// ---- TypeScript examples ----------------------------------------------------------------------------------------

describe("TypeScript examples", () => {
  it("type-check against the source", () => {
    const blocks = ALL.filter((b) => b.lang === "ts");
    expect(blocks.length).toBeGreaterThan(10);
    // Inside the repository, so that examples resolve its node_modules (dompurify, @types/node) as users' would.
    const dir = mkdtempSync(join(ROOT, ".docs-tsc-"));
    try {
      const names = blocks.map((b, i) => {
        const declares = /\b(?:const|let|var)\s+sm\b/.test(b.text);
        const prelude = declares ? "" : 'import type { Segmint as DocsSegmint } from "segmint";\ndeclare const sm: DocsSegmint;\n';
        const name = `block${i}.ts`;
        writeFileSync(join(dir, name), `${prelude}${b.text}\nexport {};\n`);
        return [name, b, prelude.split("\n").length - 1] as const;
      });
      writeFileSync(
        join(dir, "tsconfig.json"),
        JSON.stringify({
          compilerOptions: {
            target: "ES2022", module: "ESNext", moduleResolution: "Bundler", lib: ["ES2022", "DOM", "DOM.Iterable"], types: ["node"],
            strict: true, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true, isolatedModules: true, noEmit: true,
            skipLibCheck: true,
            paths: { segmint: [join(ROOT, "src/index.ts")], "segmint/debug": [join(ROOT, "src/debug/index.ts")] },
          },
          include: ["*.ts"],
        }),
      );
      const tsc = spawnSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", join(dir, "tsconfig.json")], { encoding: "utf8", timeout: 120_000 });
      // Errors point at the doc's own lines.
      const errors = `${tsc.stdout}${tsc.stderr}`.replace(/(?:^|\n)[^\n]*?(block\d+\.ts)\((\d+),(\d+)\)/g, (whole, file: string, row: string) => {
        const entry = names.find(([n]) => n === file);
        return entry ? `\n${entry[1].doc}:${entry[1].line + Number(row) - entry[2]}` : whole;
      });
      expect(errors.trim()).toBe("");
      expect(tsc.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("call only members that exist", () => {
    const members = segmintMembers();
    const calls = ALL.filter((b) => ["ts", "js", "html"].includes(b.lang)).flatMap((b) => [
      ...[...b.text.matchAll(/\b(?:sm|segmint|window\.segmint)\.(\w+)\(/g)].map((m) => [where(b), m[1]!] as const),
      ...[...b.text.matchAll(/\bpush\(\s*\[\s*"(\w+)"/g)].map((m) => [where(b), m[1]!] as const),
    ]);
    expect(calls.length).toBeGreaterThan(10);
    expect(calls.filter(([, name]) => !members.includes(name))).toEqual([]);
  });
});

// ---- links --------------------------------------------------------------------------------------------------

/** GitHub's heading anchors: lowercased, punctuation dropped, spaces to dashes, repeats numbered. */
function anchorsOf(file: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  let fenced = false;
  for (const line of read(file).split("\n")) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    const heading = !fenced && /^#{1,6}\s+(.*)$/.exec(line);
    if (!heading) continue;
    const text = heading[1]!.replace(/\[([^\]]*)\]\([^)]*\)/g, "$1").trim();
    const slug = text.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n ? `${slug}-${n}` : slug);
  }
  return anchors;
}

/** Markdown links outside code, as [file, target]. */
function linksOf(file: string): string[] {
  const text = read(file).replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
}

describe("links", () => {
  const files = [...DOCS, "README.md", "ARCHITECTURE.md", "SECURITY.md"].filter((f) => existsSync(join(ROOT, f)));

  it("every relative link and #anchor between the docs and the README resolves", () => {
    const broken: string[] = [];
    for (const file of files) {
      for (const link of linksOf(file)) {
        if (/^[a-z]+:/i.test(link)) continue; // http(s), mailto
        const [path = "", anchor] = link.split("#");
        const target = path ? join(dirname(file), path) : file;
        if (!existsSync(join(ROOT, target))) broken.push(`${file}: ${link} (no such file)`);
        else if (anchor !== undefined && target.endsWith(".md") && !anchorsOf(target).has(anchor)) broken.push(`${file}: ${link} (no such heading)`);
      }
    }
    expect(broken).toEqual([]);
  });

  it("each doc has a table of contents that links to its own sections", () => {
    for (const doc of ["docs/rules-guide.md", "docs/landing-pages.md", "docs/api.md"]) {
      expect(read(doc), doc).toMatch(/^## Contents$/m);
      const own = linksOf(doc).filter((l) => l.startsWith("#"));
      expect(own.length, doc).toBeGreaterThan(8);
    }
  });
});

// ---- the docs name everything the source has ------------------------------------------------------------------

/** Member names of an exported interface in a source file. */
function interfaceMembers(file: string, name: string): string[] {
  const source = read(file);
  const body = new RegExp(`export interface ${name}\\b[^{]*\\{([\\s\\S]*?)\\n\\}`).exec(source)?.[1] ?? "";
  return [...body.matchAll(/^ {2}(?:readonly\s+)?(\w+)\??\s*[(:<]/gm)].map((m) => m[1]!);
}

function segmintMembers(): string[] {
  return interfaceMembers("src/sdk.ts", "Segmint");
}

const inCode = (text: string, word: string) => text.includes(`\`${word}`) || text.includes(`"${word}"`);

describe("coverage of the source", () => {
  const guide = read("docs/rules-guide.md");
  const api = read("docs/api.md");
  const pages = read("docs/landing-pages.md");

  it("every error code is explained in the rules guide or the API reference", () => {
    const storage = [...read("src/store/storage.ts").matchAll(/export const (SEGMINT_\w+) =/g)].map((m) => m[1]!);
    const codes = [...Object.values(ErrorCodes), ...storage];
    expect(storage.length).toBeGreaterThan(3);
    expect(codes.filter((code) => !guide.includes(code) && !api.includes(code))).toEqual([]);
    // And both tables have all of them.
    expect(codes.filter((code) => !api.includes(`| \`${code}\``))).toEqual([]);
    expect(codes.filter((code) => !guide.includes(`| \`${code}\``))).toEqual([]);
  });

  it("every Segmint member has its own section in the API reference", () => {
    const members = segmintMembers();
    expect(members.length).toBeGreaterThan(15);
    const headings = api.split("\n").filter((l) => /^#{2,4} /.test(l));
    expect(members.filter((m) => !headings.some((h) => new RegExp(`\\bsm\\.${m}\\b`).test(h)))).toEqual([]);
  });

  it("every option, event and export is in the API reference", () => {
    const options = interfaceMembers("src/sdk.ts", "SegmintOptions");
    const events = [...(/export interface SegmintEvents \{([\s\S]*?)\n\}/.exec(read("src/emitter.ts"))?.[1] ?? "").matchAll(/^ {2}(\w+):/gm)].map((m) => m[1]!);
    const exports = [...Object.keys(segmint), ...Object.keys(debugEntry)];
    expect(options.length).toBeGreaterThan(4);
    expect(events.length).toBeGreaterThan(6);
    expect([...options, ...events, ...exports].filter((name) => !inCode(api, name))).toEqual([]);
  });

  it("every exported type is in the API reference", () => {
    const types = [...read("src/rules/types.ts").matchAll(/^export (?:type|interface) (\w+)/gm)].map((m) => m[1]!);
    const own = [...read("src/index.ts").matchAll(/export type \{([^}]*)\}/g)].flatMap((m) => m[1]!.split(",").map((t) => t.trim()));
    const debug = [...read("src/debug/index.ts").matchAll(/export type \{([^}]*)\}/g)].flatMap((m) => m[1]!.split(",").map((t) => t.trim()));
    expect(types.length).toBeGreaterThan(30);
    expect([...types, ...own, ...debug].filter((t) => !inCode(api, t))).toEqual([]);
  });

  it("every key of the rules file, operator and metric kind is in the rules guide", () => {
    const keys = new Set<string>();
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(walk);
      if (!isObj(node)) return;
      if (isObj(node.properties)) for (const k of Object.keys(node.properties)) keys.add(k);
      Object.values(node).forEach(walk);
    };
    walk(rulesJsonSchema());
    expect(keys.size).toBeGreaterThan(60);
    expect([...keys, ...OPERATORS, ...METRIC_KINDS].filter((k) => !inCode(guide, k))).toEqual([]);
  });

  it("every context path is in the rules guide", () => {
    const parts: Record<string, string> = {
      PageInfo: "page", SessionInfo: "session", ReferrerInfo: "session.referrer", Utm: "session.utm", ClickId: "session.clickId",
      VisitorInfo: "visitor", DeviceInfo: "device", TimeInfo: "time",
    };
    const paths = Object.entries(parts).flatMap(([type, prefix]) => interfaceMembers("src/rules/types.ts", type).map((m) => `${prefix}.${m}`));
    paths.push(...interfaceMembers("src/rules/types.ts", "Context"));
    expect(paths.length).toBeGreaterThan(50);
    expect(paths.filter((p) => !guide.includes(`\`${p}`))).toEqual([]);
  });

  it("every data attribute, class and custom property the source uses is in the landing-page guide", () => {
    const source = readdirSync(join(ROOT, "src"), { recursive: true })
      .map(String)
      .filter((f) => f.endsWith(".ts") && !f.startsWith("debug"))
      .map((f) => read(`src/${f}`))
      .join("\n");
    const attributes = [...new Set([...source.matchAll(/data-segmint-[a-z-]+/g)].map((m) => m[0]))];
    const scriptTag = [...read("src/boot.ts").matchAll(/data\.(\w+)/g)].map((m) => `data-${m[1]}`);
    const css = [...new Set([...source.matchAll(/--segmint-[a-z-]+|\bsegmint-(?:hidden|offer(?:-[a-z]+)?)\b/g)].map((m) => m[0]))];
    expect(attributes.length).toBeGreaterThan(6);
    expect(scriptTag).toEqual(expect.arrayContaining(["data-rules", "data-consent", "data-debug"]));
    expect([...attributes, ...scriptTag, ...css, "segmint:tags", "segmint-rules"].filter((a) => !pages.includes(a))).toEqual([]);
  });
});
