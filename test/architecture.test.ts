// @vitest-environment node
// DESIGN §4's one-way dependencies and the purity of rules/, checked on the source.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { transformSync } from "esbuild";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("../src/", import.meta.url));
const LAYERS = ["rules", "track", "store", "act", "offer", "profile", "debug"];

function sources(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

function imports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return Array.from(text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']/gms), (m) => m[1] as string);
}

function layerOf(file: string): string {
  return relative(SRC, file).split("/")[0] as string;
}

function codeOf(file: string): string {
  // Comments may name what the code must not use; esbuild drops them (and types) for us.
  // Strings (messages, descriptions) may name them too.
  const code = transformSync(readFileSync(file, "utf8"), { loader: "ts", minifyWhitespace: true }).code;
  return code.replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`/g, '""');
}

describe("architecture", () => {
  const files = sources();

  it("rules/ imports nothing of the other layers (packages: zod for the schema, css-what for selectors)", () => {
    const allowed: Record<string, string> = { zod: "rules/schema.ts", "css-what": "rules/selector.ts" };
    for (const file of files.filter((f) => layerOf(f) === "rules")) {
      for (const spec of imports(file)) {
        if (!spec.startsWith(".")) expect(relative(SRC, file), `${relative(SRC, file)} imports ${spec}`).toBe(allowed[spec]);
        expect(spec.startsWith("../"), `${relative(SRC, file)} imports ${spec}`).toBe(false);
      }
    }
  });

  it("collectors, store, DOM side, offers and profiling do not import each other", () => {
    for (const file of files.filter((f) => ["track", "store", "act", "offer", "profile"].includes(layerOf(f)))) {
      for (const spec of imports(file).filter((s) => s.startsWith("../"))) {
        const target = spec.slice(3).split("/")[0] as string;
        expect(LAYERS.includes(target) ? target : "rules", `${relative(SRC, file)} imports ${spec}`).toBe("rules");
      }
    }
  });

  it("rules/ is pure: no DOM, storage or clock", () => {
    for (const file of files.filter((f) => layerOf(f) === "rules")) {
      const code = codeOf(file);
      for (const banned of ["document", "window", "localStorage", "indexedDB", "navigator", "Date.now", "new Date()", "performance.now"]) {
        const pattern = new RegExp(`(?<![\\w$.])${banned.replace(/[.()]/g, "\\$&")}(?![\\w$])`);
        expect(pattern.test(code), `${relative(SRC, file)} uses ${banned}`).toBe(false);
      }
    }
  });

  it("zod is imported only by rules/schema.ts", () => {
    for (const file of files) {
      const usesZod = imports(file).some((s) => s === "zod" || s.startsWith("zod/"));
      if (usesZod) expect(relative(SRC, file)).toBe("rules/schema.ts");
    }
  });
});
