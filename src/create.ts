// createSegmint with every feature: what npm users import. (The script-tag entry picks its own features.)
import { createSegmintWith, type Segmint, type SegmintOptions } from "./sdk";
import { offers } from "./features/offers";
import { profiling } from "./features/profiling";

/** Creates a segmint instance; synchronous, never throws. Outside a browser (SSR) the instance is inert. */
export function createSegmint(options?: SegmintOptions): Segmint {
  // The panel is a chunk of its own, imported only when debug() asks for it.
  return createSegmintWith([offers, profiling], options, () => import("./debug/index"));
}
