// The visit builder's forms in the page: a submitted form appends its step to the history text, or says why not.
import { afterEach, describe, expect, it } from "vitest";
import { stepFrom, wireBuilder } from "../../demo/playground/builder-view";

const CLOCK = Date.parse("2026-03-02T09:00:00Z");

function form(step: string, fields: Record<string, string>): HTMLFormElement {
  const node = document.createElement("form");
  node.dataset.step = step;
  for (const [name, value] of Object.entries(fields)) {
    const input = document.createElement("input");
    input.name = name;
    input.value = value;
    node.append(input);
  }
  document.body.append(node);
  return node;
}

function fields(values: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(values)) data.set(name, value);
  return data;
}

afterEach(() => document.body.replaceChildren());

describe("the builder's forms", () => {
  it("append a page view to the history text and say so", () => {
    let text = '{ "events": [] }';
    const said: Array<[string, boolean]> = [];
    wireBuilder(document.body, { read: () => text, write: (t) => (text = t), say: (m, refused) => said.push([m, refused]) }, () => CLOCK);
    form("pageview", { path: "/pricing/" }).requestSubmit();
    expect(JSON.parse(text)).toEqual({ now: "2026-03-02T09:00:00.000Z", events: [{ t: "2026-03-02T09:00:00.000Z", type: "pageview", path: "/pricing/" }] });
    expect(said).toEqual([["Added a page view of /pricing/.", false]]);
  });

  it("leave a history that is not JSON untouched and say why", () => {
    let text = '{ "events": [ ';
    const said: Array<[string, boolean]> = [];
    wireBuilder(document.body, { read: () => text, write: (t) => (text = t), say: (m, refused) => said.push([m, refused]) }, () => CLOCK);
    form("search", { query: "webhooks" }).requestSubmit();
    expect(text).toBe('{ "events": [ ');
    expect(said).toEqual([[expect.stringMatching(/JSON/), true]]);
  });

  it("stop listening when unwired", () => {
    let text = '{ "events": [] }';
    const unwire = wireBuilder(document.body, { read: () => text, write: (t) => (text = t), say: () => {} }, () => CLOCK);
    unwire();
    const node = form("pageview", { path: "/" });
    node.addEventListener("submit", (e) => e.preventDefault()); // jsdom would otherwise log "not implemented"
    node.requestSubmit();
    expect(text).toBe('{ "events": [] }');
  });
});

describe("stepFrom", () => {
  it("reads numbers and trait values from the fields", () => {
    expect(stepFrom("dwell", fields({ seconds: "95", path: "" }))).toEqual({ kind: "dwell", seconds: 95, path: "" });
    expect(stepFrom("event", fields({ type: "purchase", value: "49.5" }))).toEqual({ kind: "event", type: "purchase", value: 49.5 });
    expect(stepFrom("event", fields({ type: "signup", value: "" }))).toEqual({ kind: "event", type: "signup" });
    expect(stepFrom("trait", fields({ name: "seats", value: "12" }))).toEqual({ kind: "trait", name: "seats", value: 12 });
  });

  it("refuses a value that is not a number, and a step it does not know", () => {
    expect(stepFrom("event", fields({ type: "purchase", value: "lots" }))).toMatch(/number/);
    expect(stepFrom("teleport", fields({}))).toMatch(/Unknown step/);
  });
});
