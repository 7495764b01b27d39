// Real Chromium for end-to-end tests (playwright-core; no browser download: the system's Chromium).
import { existsSync } from "node:fs";
import { chromium, type Browser, type BrowserContext } from "playwright-core";
// @ts-expect-error -- the demo server is plain JavaScript
import { startServer } from "../../demo/serve.mjs";

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];

/** The Chromium to drive: $CHROME_PATH, else the system's. Throws (never skips) when there is none. */
export function chromePath(): string {
  const path = process.env.CHROME_PATH ?? CANDIDATES.find((p) => existsSync(p));
  if (!path || !existsSync(path)) {
    throw new Error("No Chromium found: install Debian's `chromium` or set CHROME_PATH. End-to-end tests cannot run without it.");
  }
  return path;
}

// The flags this machine needs (closed network, root user).
const ARGS = [
  "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
  "--disable-sync", "--no-first-run", "--disable-quic",
];

/** Launches headless Chromium. */
export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: chromePath(), headless: true, args: ARGS });
}

/** Launches headless Chromium on a profile folder of its own, which outlives the browser (to kill and restart it). */
export function launchWithProfile(userDataDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, { executablePath: chromePath(), headless: true, args: ARGS });
}

/** A demo server on a free port. */
export interface DemoServer {
  url: string;
  close(): Promise<void>;
}

/** Serves demo/ and dist/ on a free port (run `npm run build` first: tests load dist/segmint.min.js). */
export async function serveDemo(options: { csp?: boolean } = {}): Promise<DemoServer> {
  if (!existsSync(new URL("../../dist/segmint.min.js", import.meta.url))) throw new Error("dist/segmint.min.js is missing: run `npm run build`");
  return startServer({ port: 0, csp: options.csp ?? false });
}

/** Collects page errors and console warnings/errors of a context, to assert the page stayed clean. */
export function watchConsole(context: BrowserContext): { errors: string[]; warnings: string[] } {
  const seen = { errors: [] as string[], warnings: [] as string[] };
  context.on("page", (page) => {
    page.on("pageerror", (error) => seen.errors.push(String(error)));
    page.on("console", (message) => {
      if (message.type() === "error") seen.errors.push(message.text());
      if (message.type() === "warning") seen.warnings.push(message.text());
    });
  });
  return seen;
}
