// npm run build: rollup bundles, tsc declarations (ESM and CJS flavours), the JSON Schema, and the size line.
import { execFileSync } from "node:child_process";
import { cpSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, chmodSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const bin = (name) => join("node_modules", ".bin", name);
const run = (cmd, args) => execFileSync(cmd, args, { stdio: "inherit" });

rmSync("dist", { recursive: true, force: true });
run(bin("rollup"), ["-c", "--silent"]);
run(bin("tsc"), ["-p", "tsconfig.build.json"]);
writeDeclarationEntries();
chmodSync("dist/cli.mjs", 0o755);
const { rulesJsonSchema } = await import(new URL("../dist/segmint.mjs", import.meta.url).href);
writeFileSync("dist/segmint.schema.json", JSON.stringify(rulesJsonSchema(), null, 2) + "\n");
const gzip = gzipSync(readFileSync("dist/segmint.min.js"), { level: 9 }).length;
console.log(`dist/segmint.min.js: ${gzip} bytes gzip (budget 16384${gzip > 16384 ? ": OVER BUDGET, see README Size" : ""})`);

function writeDeclarationEntries() {
  // Source imports are extensionless (bundler resolution); consumers on node16/nodenext need explicit paths.
  for (const file of walk("dist/types")) {
    const text = readFileSync(file, "utf8").replace(/(from\s+|import\()(["'])(\.{1,2}\/[^"']+)\2/g, (m, lead, q, spec) =>
      /\.(js|json)$/.test(spec) ? m : `${lead}${q}${resolveSpecifier(file, spec)}${q}`,
    );
    writeFileSync(file, text);
  }
  // The same declarations, read as CommonJS for `require` consumers ("masquerading as ESM" otherwise).
  cpSync("dist/types", "dist/types-cjs", { recursive: true });
  writeFileSync("dist/types-cjs/package.json", '{ "type": "commonjs" }\n');
  writeFileSync("dist/segmint.d.mts", 'export * from "./types/index.js";\n');
  writeFileSync("dist/segmint.d.cts", 'export * from "./types-cjs/index.js";\n');
  writeFileSync("dist/debug.d.mts", 'export * from "./types/debug/index.js";\n');
  writeFileSync("dist/debug.d.cts", 'export * from "./types-cjs/debug/index.js";\n');
}

function resolveSpecifier(fromFile, spec) {
  const base = join(fromFile, "..", spec);
  try {
    if (statSync(base).isDirectory()) return `${spec}/index.js`;
  } catch {}
  return `${spec}.js`;
}

function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (path.endsWith(".d.ts")) yield path;
  }
}
