// The rules playground (demo/playground/, issue 8): the rules schema's path-precise errors and `segmint simulate`
// in the browser. The IIFE entry: it starts the page it is loaded into, which needs no segmint runtime.
import { parseWithoutEval } from "../../src/rules/schema";
import { startPlayground } from "./app";

// The page runs under `script-src 'self'`: no eval probe from zod.
parseWithoutEval();

void startPlayground().catch((error: unknown) => {
  const status = document.getElementById("rules-status");
  if (status) status.textContent = `The playground could not start: ${error instanceof Error ? error.message : String(error)}`;
});
