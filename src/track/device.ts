import type { DeviceInfo } from "../rules/types";
import { attempt } from "./listen";

/** The context's `device`: type, touch, languages, time zone and viewport size, read now. */
export function deviceInfo(): DeviceInfo {
  // undefined where matchMedia is missing or fails: then any touch screen counts as touch-first.
  const coarse = attempt(() => matchMedia("(pointer: coarse)").matches);
  const touch = navigator.maxTouchPoints > 0 || !!coarse;
  // The shorter screen side, so that turning a phone sideways does not make it a tablet; a touch laptop reports a
  // fine primary pointer and stays a desktop.
  const side = Math.min(screen.width, screen.height) || innerWidth;
  return {
    // 600 px is Android's own tablet line (smallest width 600dp); iPad mini (744) is a tablet, phones are below.
    type: (coarse ?? touch) && side < 1200 ? (side < 600 ? "mobile" : "tablet") : "desktop",
    touch,
    language: navigator.language,
    languages: [...navigator.languages],
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    width: innerWidth,
    height: innerHeight,
  };
}
