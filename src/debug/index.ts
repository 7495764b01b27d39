// npm `segmint/debug`: the debug panel. Loaded only when asked for (`debug()`, `?segmint_debug=1`, `data-debug`).
export { openDebugPanel } from "./panel";
export type { DebugHandle, DebugPanel } from "../sdk";
