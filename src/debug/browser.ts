// The debug panel's script-tag entry (dist/segmint.debug.js): the main bundle's loader waits for this global.
import { openDebugPanel } from "./panel";
import { parseWithoutEval } from "../rules/schema";

if (typeof window !== "undefined") {
  // This bundle has its own zod: a strict CSP must see no eval probe when the panel checks a rules file.
  parseWithoutEval();
  (window as { segmintDebugPanel?: unknown }).segmintDebugPanel = { openDebugPanel };
}
