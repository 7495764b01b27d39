// The closed-tab dwell write-ahead in real Chromium: a reader's browser is killed outright (no pagehide, no
// IndexedDB write at the end), and the seconds it had counted are recovered on the next visit.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchWithProfile, serveDemo, type DemoServer } from "./harness";

let server: DemoServer;
let profile: string;

beforeAll(async () => {
  server = await serveDemo();
  profile = mkdtempSync(join(tmpdir(), "segmint-profile-"));
});
afterAll(async () => {
  await server?.close();
  rmSync(profile, { recursive: true, force: true });
});

/** SIGKILL every process of the browser using `profile`: what a crash or a killed mobile tab does to the page. */
function killBrowser(userDataDir: string): number {
  let killed = 0;
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(userDataDir)) continue;
      process.kill(Number(pid), "SIGKILL");
      killed++;
    } catch {
      // the process ended on its own meanwhile
    }
  }
  return killed;
}

/** The bytes Chromium has written to disk for localStorage (its LevelDB log), where `text` shows once flushed. */
function localStorageOnDisk(userDataDir: string): string {
  const dir = join(userDataDir, "Default", "Local Storage", "leveldb");
  try {
    return readdirSync(dir).map((file) => readFileSync(join(dir, file), "latin1")).join("");
  } catch {
    return "";
  }
}

async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe("a tab killed while the visitor reads", () => {
  it("keeps the dwell seconds it had counted: the next visit records them from the write-ahead buffer", async () => {
    const start = new Date("2026-11-20T10:00:00Z").getTime();
    const first = await launchWithProfile(profile);
    const page = first.pages()[0] ?? (await first.newPage());
    await page.clock.install({ time: start });
    await page.goto(`${server.url}/fixtures/dwell.html`);
    await page.evaluate("window.segmint.ready");
    // Time moves only when the test says so: no checkpoint may land while the test waits for the disk.
    await page.clock.pauseAt(start + 1000);
    for (let i = 0; i < 4; i++) {
      await page.mouse.move(100 + i * 10, 100);
      await page.clock.runFor(5_000);
    }
    const wal = JSON.parse((await page.evaluate(() => localStorage.getItem("segmint:wal"))) ?? "[]") as Array<{ id: string; seconds: number; final?: boolean }>;
    expect(wal).toHaveLength(1);
    const [record] = wal as [{ id: string; seconds: number; final?: boolean }];
    expect(record.seconds).toBeGreaterThanOrEqual(15);
    expect(record.final).toBe(false);
    // Chromium commits localStorage to disk a few seconds after a write; the kill must come after that.
    await until(() => localStorageOnDisk(profile).includes(record.id), "localStorage on disk");

    expect(killBrowser(profile)).toBeGreaterThan(0);
    await first.close().catch(() => {});

    const second = await launchWithProfile(profile);
    try {
      const again = second.pages()[0] ?? (await second.newPage());
      await again.clock.install({ time: start + 60 * 60_000 });
      await again.goto(`${server.url}/fixtures/dwell.html`);
      await again.evaluate("window.segmint.ready");
      const { events } = (await again.evaluate("window.segmint.export()")) as { events: Array<{ type: string; span?: string; seconds?: number }> };
      const recovered = events.filter((e) => e.type === "dwell");
      expect(recovered).toEqual([expect.objectContaining({ span: record.id, seconds: record.seconds })]);
      expect(await again.evaluate("window.segmint.context().metrics.readSeconds")).toBe(record.seconds);
      expect((await again.evaluate(() => localStorage.getItem("segmint:wal"))) ?? "").not.toContain(record.id);
    } finally {
      await second.close();
    }
  });
});
