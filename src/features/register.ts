// How a feature's own script (dist/segmint.<name>.js) hands its feature to segmint.min.js, which waits for it.
import type { Feature } from "./types";

/** The global the script-tag runtime reads features from (boot.ts). */
export type FeatureWindow = { segmintFeatures?: Record<string, Feature> };

/** Makes `feature` available to the script-tag runtime under `name`. */
export function registerFeature(win: Window & FeatureWindow, name: string, feature: Feature): void {
  win.segmintFeatures = { ...win.segmintFeatures, [name]: feature };
}
