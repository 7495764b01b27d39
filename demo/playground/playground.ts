// The rules playground (demo/playground/, issue 8): the rules schema's path-precise errors and `segmint simulate`
// in the browser. The IIFE entry: it starts the page it is loaded into, which needs no segmint runtime.
import { config } from "zod";
import { startPlayground } from "./app";

// zod probes for `new Function` to compile faster parsers; under `script-src 'self'` the probe fails quietly but the
// browser still reports a CSP violation. jitless skips the probe (validation is the same, only slower).
config({ jitless: true });

void startPlayground().catch((error: unknown) => {
  const status = document.getElementById("rules-status");
  if (status) status.textContent = `The playground could not start: ${error instanceof Error ? error.message : String(error)}`;
});
