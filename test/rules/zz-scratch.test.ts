import { it } from "vitest";
import { safeParseRules } from "../../src/rules/schema";
import { readFileSync } from "node:fs";
it("x", () => {
  const base = JSON.parse(readFileSync("test/fixtures/kitchen-sink.rules.json", "utf8"));
  for (const v of [{ "m3+6": 1, "l": 2 }, { x: null }, {}]) {
    const n = (() => { const l: any[] = []; const w = (x: any) => { if (x && typeof x === "object") for (const k of Object.keys(x)) { l.push(1); w(x[k]); } }; w(base); return l.length; })();
    for (let at = 0; at < n; at++) {
      const doc = structuredClone(base); const l: any[] = []; const w = (x: any) => { if (x && typeof x === "object") for (const k of Object.keys(x)) { l.push([x, k]); w(x[k]); } }; w(doc);
      const [p, k] = l[at]; p[k] = v;
      const a = safeParseRules(doc);
      if (!a.success) for (const i of a.error.issues) if (/Invalid input/.test(i.message) && /when$/.test(i.path)) console.log(i.path, k, JSON.stringify(a.error.issues));
    }
  }
});
