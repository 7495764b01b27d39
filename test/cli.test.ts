// @vitest-environment node
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { rmSync } from "node:fs";
import { main } from "../src/cli";

const dir = mkdtempSync(join(tmpdir(), "segmint-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function run(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

const example = readFileSync("test/fixtures/design-example.rules.json", "utf8");

describe("segmint validate", () => {
  it("prints a one-line summary and exits 0 for a valid file", async () => {
    const path = file("segmint.rules.json", example);
    expect(await run("validate", path)).toEqual({
      code: 0,
      out: [`${path}: valid — 4 segments, 3 experiences, 5 metrics`],
      err: [],
    });
  });

  it("uses singulars for one of each", async () => {
    const path = file("one.json", JSON.stringify({ version: 1, metrics: { m: { count: "pageview" } }, segments: [{ id: "a", when: {} }], experiences: [{ id: "e", offer: { title: "Hi" } }] }));
    expect((await run("validate", path)).out).toEqual([`${path}: valid — 1 segment, 1 experience, 1 metric`]);
  });

  it("prints one `path: message` line per problem and exits 1", async () => {
    const rules = JSON.parse(example);
    rules.version = 2;
    rules.experiences[0].changes[0].selecter = "#hero h2";
    rules.segments[3].when = { segments: { $all: ["returning", "hot-leed"] } };
    const { code, out, err } = await run("validate", file("bad.json", JSON.stringify(rules)));
    expect(code).toBe(1);
    expect(err).toEqual([]);
    expect(out).toEqual([
      "version: unsupported version 2: this segmint reads version 1",
      'experiences[0].changes[0]: unknown key "selecter" (did you mean "selector"?)',
      'segments[3].when.segments.$all[1]: unknown segment "hot-leed" (did you mean "hot-lead"?)',
    ]);
  });

  it("says in one line that a file is missing", async () => {
    const path = join(dir, "nope.json");
    expect(await run("validate", path)).toEqual({ code: 1, out: [], err: [`${path}: cannot read (no such file)`] });
  });

  it("says in one line that a directory is not a file", async () => {
    expect(await run("validate", dir)).toEqual({ code: 1, out: [], err: [`${dir}: cannot read (is a directory)`] });
  });

  it("says in one line, with line and column, that a file is not JSON", async () => {
    const path = file("broken.json", '{\n  "version": 1,\n}\n');
    const { code, out, err } = await run("validate", path);
    expect(code).toBe(1);
    expect(out).toEqual([]);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: not valid JSON — .*\\(line 3, column 1\\)$`));
  });

  it("accepts a byte-order mark", async () => {
    expect((await run("validate", file("bom.json", `\uFEFF${example}`))).code).toBe(0);
  });
});

describe("segmint schema", () => {
  it("prints the JSON Schema, pretty", async () => {
    const { code, out } = await run("schema");
    expect(code).toBe(0);
    expect(out).toHaveLength(1);
    const schema = JSON.parse(out[0]!);
    expect(schema.title).toBe("segmint rules");
    expect(schema.properties.segments).toBeDefined();
    expect(out[0]).toContain('\n  "$schema": ');
  });
});

describe("usage", () => {
  it("--help and no arguments print usage and exit 0", async () => {
    for (const argv of [["--help"], ["-h"], []]) {
      const { code, out } = await run(...argv);
      expect(code).toBe(0);
      expect(out[0]).toBe("Usage: segmint <command>");
      expect(out.join("\n")).toContain("segmint validate <rules.json>");
    }
  });

  it("an unknown command exits 1 with one line", async () => {
    expect(await run("valdate", "x.json")).toEqual({ code: 1, out: [], err: ['segmint: unknown command "valdate" (run `segmint --help`)'] });
  });

  it("missing arguments exit 1 with one line", async () => {
    expect(await run("validate")).toEqual({ code: 1, out: [], err: ["segmint validate: wrong arguments (run `segmint --help`)"] });
    expect((await run("simulate", "a.json")).code).toBe(1);
  });

  it("simulate is not implemented yet: exit 2", async () => {
    expect(await run("simulate", "rules.json", "history.json")).toEqual({
      code: 2,
      out: [],
      err: ["segmint simulate rules.json history.json: not implemented yet"],
    });
  });
});
