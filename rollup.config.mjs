// Builds every artifact of DESIGN §5 from src/. TypeScript is only transpiled here (esbuild);
// `tsc` (TypeScript 7, no JS API) type-checks and writes declarations in scripts/build.mjs.
import esbuild from "rollup-plugin-esbuild";
import { nodeResolve } from "@rollup/plugin-node-resolve";
import terser from "@rollup/plugin-terser";

const transpile = () => esbuild({ target: "es2020", tsconfig: "tsconfig.json" });
// Packages users install with segmint stay imports in the npm builds; everything else is bundled.
const npmExternal = (id) => id === "idb-keyval" || id === "zod" || id.startsWith("zod/") || id.startsWith("node:");

// Two shared chunks: the zod schema (with the selector parser it uses) apart from everything else. As one chunk, an app
// that imports createSegmint would keep the schema (and zod) in its first load, because the debug panel's lazy chunk
// uses it and a bundler splits files, not the halves of a file.
const npmChunk = (id) =>
  /[\\/]src[\\/]rules[\\/](schema|selector)\.ts$|[\\/]node_modules[\\/]css-what[\\/]/.test(id) ? "schema" : /[\\/]src[\\/](?!debug[\\/])/.test(id) ? "core" : undefined;

const minify = () =>
  terser({ ecma: 2020, compress: { passes: 3, pure_getters: true }, format: { comments: false } });

export default [
  {
    // npm: `segmint` and `segmint/debug`; createSegmint imports the panel's chunk only when debug() asks for it.
    // No transitive imports hoisted into the entries: a bare `import "zod"` there would keep all of zod in an app that
    // never parses rules (a bundler cannot drop an import kept for its side effects).
    input: { segmint: "src/index.ts", debug: "src/debug/index.ts" },
    external: npmExternal,
    plugins: [nodeResolve({ extensions: [".ts", ".js"] }), transpile()],
    output: [
      { dir: "dist", format: "es", sourcemap: true, entryFileNames: "[name].mjs", chunkFileNames: "chunks/[name]-[hash].mjs", hoistTransitiveImports: false, manualChunks: npmChunk },
      { dir: "dist", format: "cjs", sourcemap: true, exports: "named", entryFileNames: "[name].cjs", chunkFileNames: "chunks/[name]-[hash].cjs", hoistTransitiveImports: false, manualChunks: npmChunk },
    ],
  },
  {
    // The script-tag build sets window.segmint itself and exports nothing, so no `var segmint = …`
    // overwrites the instance (DESIGN §1).
    input: "src/browser.ts",
    plugins: [nodeResolve({ browser: true, extensions: [".ts", ".js"] }), transpile()],
    output: { file: "dist/segmint.min.js", format: "iife", sourcemap: true, plugins: [minify()] },
  },
  // The optional features for script-tag sites, each fetched by segmint.min.js from beside itself for rules that use it
  // (ARCHITECTURE.md "Script bundles"); npm's createSegmint carries both.
  ...["offers", "profiling"].map((name) => ({
    input: `src/features/browser-${name}.ts`,
    plugins: [nodeResolve({ browser: true, extensions: [".ts", ".js"] }), transpile()],
    output: { file: `dist/segmint.${name}.js`, format: "iife", sourcemap: true, plugins: [minify()] },
  })),
  {
    // The debug panel for script-tag sites, fetched by segmint.min.js from beside itself when asked for.
    input: "src/debug/browser.ts",
    plugins: [nodeResolve({ browser: true, extensions: [".ts", ".js"] }), transpile()],
    output: { file: "dist/segmint.debug.js", format: "iife", sourcemap: true, plugins: [minify()] },
  },
  {
    // The demo's rules playground (demo/playground/): the schema and `simulate` in the browser. Not published.
    input: "demo/playground/playground.ts",
    plugins: [nodeResolve({ browser: true, extensions: [".ts", ".js"] }), transpile()],
    output: { file: "dist/segmint.playground.js", format: "iife", sourcemap: true, plugins: [minify()] },
  },
  {
    input: "src/cli-main.ts",
    external: npmExternal,
    plugins: [nodeResolve({ extensions: [".ts", ".js"] }), transpile()],
    output: { file: "dist/cli.mjs", format: "es", banner: "#!/usr/bin/env node" },
  },
];
