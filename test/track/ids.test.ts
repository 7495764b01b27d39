import { afterEach, describe, expect, it, vi } from "vitest";
import { randomId } from "../../src/track/ids";

afterEach(() => vi.unstubAllGlobals());

describe("randomId", () => {
  it("is a UUID where crypto.randomUUID exists", () => {
    expect(randomId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("is 16 base-36 characters on plain http (no randomUUID)", () => {
    const { getRandomValues } = crypto;
    vi.stubGlobal("crypto", { getRandomValues: getRandomValues.bind(crypto) });
    const ids = new Set(Array.from({ length: 1000 }, randomId));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[0-9a-z]{16}$/);
  });
});
