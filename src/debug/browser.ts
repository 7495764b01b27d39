// The debug panel's script-tag entry (dist/segmint.debug.js): the main bundle's loader waits for this global.
import { openDebugPanel } from "./panel";

if (typeof window !== "undefined") (window as { segmintDebugPanel?: unknown }).segmintDebugPanel = { openDebugPanel };
