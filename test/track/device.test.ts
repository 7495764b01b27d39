import { afterEach, describe, expect, it, vi } from "vitest";
import { deviceInfo } from "../../src/track/device";

const stubScreen = (width: number, height: number) => vi.stubGlobal("screen", { width, height });
const stubPointer = (coarse: boolean) =>
  vi.stubGlobal("matchMedia", (query: string) => ({ matches: query === "(pointer: coarse)" && coarse }));
// jsdom has no maxTouchPoints: give the navigator instance its own, removed after each test.
const stubTouchPoints = (n: number) => Object.defineProperty(navigator, "maxTouchPoints", { value: n, configurable: true });

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  delete (navigator as { maxTouchPoints?: number }).maxTouchPoints;
});

describe("deviceInfo", () => {
  it("works without matchMedia (jsdom, old WebViews): a desktop", () => {
    expect(typeof globalThis.matchMedia).toBe("undefined");
    const info = deviceInfo();
    expect(info).toMatchObject({ type: "desktop", touch: false, width: innerWidth, height: innerHeight });
    expect(info.language).toBe(navigator.language);
    expect(info.languages).toEqual([...navigator.languages]);
    expect(typeof info.timezone).toBe("string");
  });

  it.each([
    ["a phone in portrait", 390, 844, "mobile"],
    ["a phone in landscape", 844, 390, "mobile"],
    ["an iPad mini", 744, 1133, "tablet"],
    ["an iPad in landscape", 1180, 820, "tablet"],
    ["an iPad Pro 12.9", 1024, 1366, "tablet"],
  ])("%s with a coarse pointer is %s", (_, width, height, type) => {
    stubScreen(width, height);
    stubPointer(true);
    stubTouchPoints(5);
    expect(deviceInfo()).toMatchObject({ type, touch: true });
  });

  it("keeps a touch-screen laptop (fine primary pointer) a desktop with touch", () => {
    stubScreen(1366, 768);
    stubPointer(false);
    stubTouchPoints(10);
    expect(deviceInfo()).toMatchObject({ type: "desktop", touch: true });
  });

  it("falls back to touch points when matchMedia is missing", () => {
    stubScreen(412, 915);
    stubTouchPoints(5);
    expect(deviceInfo()).toMatchObject({ type: "mobile", touch: true });
  });

  it("survives a throwing matchMedia", () => {
    vi.stubGlobal("matchMedia", () => {
      throw new Error("blocked");
    });
    expect(deviceInfo()).toMatchObject({ type: "desktop" });
  });

  it("reads the IANA time zone", () => {
    expect(deviceInfo().timezone).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
  });
});
