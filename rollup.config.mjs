// Builds every artifact of DESIGN §5 from src/. TypeScript is only transpiled here (esbuild);
// `tsc` (TypeScript 7, no JS API) type-checks and writes declarations in scripts/build.mjs.
import esbuild from "rollup-plugin-esbuild";
import { nodeResolve } from "@rollup/plugin-node-resolve";
import terser from "@rollup/plugin-terser";

const transpile = () => esbuild({ target: "es2020", tsconfig: "tsconfig.json" });
// Packages users install with segmint stay imports in the npm builds; everything else is bundled.
const npmExternal = (id) => id === "idb-keyval" || id === "zod" || id.startsWith("zod/") || id.startsWith("node:");

const minify = () =>
  terser({ ecma: 2020, compress: { passes: 3, pure_getters: true }, format: { comments: false } });

export default [
  {
    input: "src/index.ts",
    external: npmExternal,
    plugins: [nodeResolve({ extensions: [".ts", ".js"] }), transpile()],
    output: [
      { file: "dist/segmint.mjs", format: "es", sourcemap: true },
      { file: "dist/segmint.cjs", format: "cjs", sourcemap: true, exports: "named" },
    ],
  },
  {
    // The script-tag build sets window.segmint itself and exports nothing, so no `var segmint = …`
    // overwrites the instance (DESIGN §1).
    input: "src/browser.ts",
    plugins: [nodeResolve({ browser: true, extensions: [".ts", ".js"] }), transpile()],
    output: { file: "dist/segmint.min.js", format: "iife", sourcemap: true, plugins: [minify()] },
  },
  {
    input: "src/cli-main.ts",
    external: npmExternal,
    plugins: [nodeResolve({ extensions: [".ts", ".js"] }), transpile()],
    output: { file: "dist/cli.mjs", format: "es", banner: "#!/usr/bin/env node" },
  },
];
