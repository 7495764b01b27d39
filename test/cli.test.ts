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

  it("simulate prints segments, metrics, experiences and explain for a history", async () => {
    const rules = {
      version: 1,
      metrics: { pricingViews: { count: "pageview", where: { path: { $regex: "^/pricing" } }, withinDays: 7 } },
      segments: [
        { id: "returning", when: { "visitor.sessions": { $gt: 1 } } },
        { id: "hot-lead", when: { "metrics.pricingViews": { $gte: 2 } } },
      ],
      experiences: [{ id: "hero", segment: "hot-lead", changes: [{ selector: "h1", text: "Hi" }] }],
    };
    const history = {
      now: "2026-11-20T12:00:00Z",
      events: [
        { t: "2026-11-18T09:00:00Z", type: "pageview", path: "/pricing" },
        { t: "2026-11-20T11:00:00Z", type: "pageview", path: "/pricing" },
      ],
    };
    const result = await run("simulate", file("r.json", JSON.stringify(rules)), file("h.json", JSON.stringify(history)));
    expect(result.code).toBe(0);
    expect(result.out).toContain("segments: returning, hot-lead");
    expect(result.out).toContain("  pricingViews: 2");
    expect(result.out).toContain("  hero: applied (treated)");
    expect(result.out).toContain('    ✓ visitor.sessions $gt 1 — actual 2');
    const json = await run("simulate", file("r.json", JSON.stringify(rules)), file("h.json", JSON.stringify(history)), "--json");
    expect(JSON.parse(json.out.join("\n")).segments).toEqual(["returning", "hot-lead"]);
  });

  it("simulate reports a broken history in one line", async () => {
    const rules = file("r.json", JSON.stringify({ version: 1 }));
    const result = await run("simulate", rules, file("h.json", JSON.stringify({ events: [{ type: "pageview" }] })));
    expect(result.code).toBe(1);
    expect(result.err).toEqual([expect.stringContaining("events[0]: needs a \"type\" and a time")]);
  });
});
