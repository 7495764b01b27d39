import { get, set } from "idb-keyval";
import { beforeEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/store/idb";
import { createProfile, PROFILE_VERSION } from "../../src/store/profile";
import { freshIndexedDB } from "./helpers";

type Traits = Record<string, unknown>;

beforeEach(() => {
  freshIndexedDB();
});

describe("profile documents", () => {
  it("stores { v, data } and reads data back by key", async () => {
    const db = openDatabase("segmint-profile");
    const profile = createProfile(db);
    expect(await profile.update<Traits>("traits", (t) => ({ ...t, plan: "pro" }))).toEqual({ plan: "pro" });
    await profile.update<Traits>("traits", (t) => ({ ...t, role: "dev" }));
    expect(await get("traits", db)).toEqual({ v: PROFILE_VERSION, data: { plan: "pro", role: "dev" } });
    expect(await profile.getAll()).toEqual({ docs: { traits: { plan: "pro", role: "dev" } }, corrupt: 0 });
  });

  it("concurrent updates from two tabs merge instead of overwriting", async () => {
    const a = createProfile(openDatabase("segmint-profile"));
    const b = createProfile(openDatabase("segmint-profile"));
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? a : b).update<Traits>("traits", (t) => ({ ...t, [`k${i}`]: i })),
      ),
    );
    const { docs } = await a.getAll();
    expect(Object.keys(docs["traits"] as Traits)).toHaveLength(20);
  });

  it("migrates older versions forward on read and on update", async () => {
    const db = openDatabase("segmint-profile");
    await set("traits", { v: 0, data: ["plan", "pro"] }, db);
    const migrations = { 0: (data: unknown) => Object.fromEntries([data as [string, string]]) };
    const profile = createProfile(db, migrations);
    expect((await profile.getAll()).docs).toEqual({ traits: { plan: "pro" } });
    await profile.update<Traits>("traits", (t) => ({ ...t, seen: true }));
    expect(await get("traits", db)).toEqual({ v: 1, data: { plan: "pro", seen: true } });
  });

  it("leaves documents from a newer version alone (not corrupt, not overwritten)", async () => {
    const db = openDatabase("segmint-profile");
    const future = { v: PROFILE_VERSION + 1, data: { shape: "new" } };
    await set("traits", future, db);
    const profile = createProfile(db);
    expect(await profile.getAll()).toEqual({ docs: {}, corrupt: 0 });
    expect(await profile.update<Traits>("traits", () => ({ plan: "pro" }))).toBeUndefined();
    expect(await get("traits", db)).toEqual(future);
  });

  it("counts unreadable documents as corrupt, keeps the rest, and an update replaces a corrupt one", async () => {
    const db = openDatabase("segmint-profile");
    await set("a", "plain string", db);
    await set("b", { data: 1 }, db);
    await set("c", { v: 0, data: 1 }, db); // no migration from 0
    await set("d", { v: 1.5, data: 1 }, db);
    await set(5, { v: 1, data: 1 }, db);
    await set("ok", { v: 1, data: { x: 1 } }, db);
    await set("__proto__", { v: 1, data: { polluted: true } }, db);
    const profile = createProfile(db, {
      0: () => {
        throw new Error("broken migration");
      },
    });
    const { docs, corrupt } = await profile.getAll();
    expect(corrupt).toBe(5);
    expect(Object.keys(docs).sort()).toEqual(["__proto__", "ok"]);
    expect(({} as Traits)["polluted"]).toBeUndefined();
    expect(await profile.update("a", (old) => old ?? "fresh")).toBe("fresh");
  });
});
