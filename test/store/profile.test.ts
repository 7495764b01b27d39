// Profile documents inside createStorage: `{ v, data }` per key, read-modify-write in one transaction, migrations.
import { get, set } from "idb-keyval";
import { beforeEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/store/idb";
import { createStorage, PROFILE_VERSION, type Migrations } from "../../src/store/storage";
import { errors, freshIndexedDB } from "./helpers";

type Traits = Record<string, unknown>;
const db = () => openDatabase("segmint-profile");
/** The documents another page finds stored. */
const stored = async (migrations?: Migrations) => (await createStorage({ migrations }).load()).profile;

beforeEach(() => {
  freshIndexedDB();
});

describe("profile documents", () => {
  it("stores { v, data } and reads data back by key", async () => {
    const storage = createStorage();
    expect(await storage.updateProfile<Traits>("traits", (t) => ({ ...t, plan: "pro" }))).toEqual({ plan: "pro" });
    await storage.updateProfile<Traits>("traits", (t) => ({ ...t, role: "dev" }));
    expect(await get("traits", db())).toEqual({ v: PROFILE_VERSION, data: { plan: "pro", role: "dev" } });
    expect(await stored()).toEqual({ traits: { plan: "pro", role: "dev" } });
  });

  it("concurrent updates from two tabs merge instead of overwriting", async () => {
    const a = createStorage();
    const b = createStorage();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? a : b).updateProfile<Traits>("traits", (t) => ({ ...t, [`k${i}`]: i })),
      ),
    );
    expect(Object.keys((await stored())["traits"] as Traits)).toHaveLength(20);
  });

  it("migrates older versions forward on read and on update", async () => {
    await set("traits", { v: 0, data: ["plan", "pro"] }, db());
    const migrations = { 0: (data: unknown) => Object.fromEntries([data as [string, string]]) };
    expect(await stored(migrations)).toEqual({ traits: { plan: "pro" } });
    // an update with no load before it migrates the stored document too
    await createStorage({ migrations }).updateProfile<Traits>("traits", (t) => ({ ...t, seen: true }));
    expect(await get("traits", db())).toEqual({ v: 1, data: { plan: "pro", seen: true } });
  });

  it("leaves documents from a newer version alone (not corrupt, not overwritten)", async () => {
    const future = { v: PROFILE_VERSION + 1, data: { shape: "new" } };
    await set("traits", future, db());
    const seen = errors();
    const storage = createStorage({ onError: seen.onError });
    expect((await storage.load()).profile).toEqual({});
    await storage.updateProfile<Traits>("traits", () => ({ plan: "pro" }));
    expect(await get("traits", db())).toEqual(future);
    expect(seen.seen).toEqual([]);
  });

  it("counts unreadable documents as corrupt, keeps the rest, and an update replaces a corrupt one", async () => {
    await set("a", "plain string", db());
    await set("b", { data: 1 }, db());
    await set("c", { v: 0, data: 1 }, db()); // no migration from 0
    await set("d", { v: 1.5, data: 1 }, db());
    await set(5, { v: 1, data: 1 }, db());
    await set("ok", { v: 1, data: { x: 1 } }, db());
    await set("__proto__", { v: 1, data: { polluted: true } }, db());
    const seen = errors();
    const storage = createStorage({
      onError: seen.onError,
      migrations: {
        0: () => {
          throw new Error("broken migration");
        },
      },
    });
    const { profile } = await storage.load();
    expect(seen.seen[0]!.message).toContain("5");
    expect(Object.keys(profile).sort()).toEqual(["__proto__", "ok"]);
    expect(({} as Traits)["polluted"]).toBeUndefined();
    expect(await storage.updateProfile("a", (old) => old ?? "fresh")).toBe("fresh");
    expect(await get("a", db())).toEqual({ v: 1, data: "fresh" });
  });
});
