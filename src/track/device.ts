import type { DeviceInfo } from "../rules/types";

/** The context's `device`: type, touch, languages, time zone and viewport size, read now. */
export function deviceInfo(): DeviceInfo {
  const coarse = matches("(pointer: coarse)");
  const touch = navigator.maxTouchPoints > 0 || coarse === true;
  // The shorter screen side, so that turning a phone sideways does not make it a tablet; a touch laptop reports a
  // fine primary pointer and stays a desktop. Without matchMedia any touch screen counts as touch-first.
  const side = Math.min(screen.width, screen.height) || innerWidth;
  const touchFirst = coarse ?? touch;
  return {
    // 600 px is Android's own tablet line (smallest width 600dp); iPad mini (744) is a tablet, phones are below.
    type: !touchFirst ? "desktop" : side < 600 ? "mobile" : side < 1200 ? "tablet" : "desktop",
    touch,
    language: navigator.language || "",
    languages: [...(navigator.languages || [navigator.language])],
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone || "",
    width: innerWidth,
    height: innerHeight,
  };
}

/** A media query's verdict, or undefined where matchMedia is missing or fails. */
function matches(query: string): boolean | undefined {
  try {
    return typeof matchMedia == "function" ? matchMedia(query).matches : undefined;
  } catch {
    return undefined;
  }
}
