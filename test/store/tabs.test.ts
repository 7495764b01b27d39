import { afterEach, describe, expect, it, vi } from "vitest";
import { openTabChannel, type TabMessage } from "../../src/store/tabs";
import { ev } from "./helpers";

afterEach(() => vi.unstubAllGlobals());

describe("tab channel", () => {
  it("delivers events, profile and forget notices to the other tabs, not to itself", async () => {
    const mine: TabMessage[] = [];
    const theirs: TabMessage[] = [];
    const a = openTabChannel((m) => mine.push(m));
    const b = openTabChannel((m) => theirs.push(m));
    try {
      a.post({ kind: "events", events: [ev(1)] });
      a.post({ kind: "profile", key: "traits" });
      a.post({ kind: "forget" });
      await vi.waitFor(() => expect(theirs).toHaveLength(3));
      expect(theirs).toEqual([{ kind: "events", events: [ev(1)] }, { kind: "profile", key: "traits" }, { kind: "forget" }]);
      expect(mine).toEqual([]);
    } finally {
      a.close();
      b.close();
    }
  });

  it("ignores messages of other kinds from other scripts on the same channel name", async () => {
    const seen: TabMessage[] = [];
    const tab = openTabChannel((m) => seen.push(m));
    const stranger = new BroadcastChannel("segmint");
    try {
      for (const junk of [null, "forget", 5, {}, { kind: "other" }, { kind: "toString" }]) stranger.postMessage(junk);
      stranger.postMessage({ kind: "forget" });
      await vi.waitFor(() => expect(seen).toEqual([{ kind: "forget" }]));
    } finally {
      stranger.close();
      tab.close();
    }
  });

  it("post() never throws: uncloneable payload, closed channel", () => {
    const tab = openTabChannel(() => {});
    const bad = { kind: "events", events: [{ ...ev(1), f: (() => {}) as never }] } as TabMessage;
    expect(() => tab.post(bad)).not.toThrow();
    tab.close();
    expect(() => tab.post({ kind: "forget" })).not.toThrow();
    expect(() => tab.close()).not.toThrow();
  });

  it("without BroadcastChannel: a channel that does nothing", () => {
    vi.stubGlobal("BroadcastChannel", undefined);
    const tab = openTabChannel(() => {});
    expect(() => tab.post({ kind: "forget" })).not.toThrow();
    expect(() => tab.close()).not.toThrow();
  });
});
