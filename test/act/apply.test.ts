// The applier keeps the page in step with the experiences that apply.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createApplier, type Applier } from "../../src/act/apply";

let applier: Applier;
const onApplied = vi.fn();
const wait = () => new Promise((resolve) => setTimeout(resolve, 0)); // lets MutationObserver callbacks run

beforeEach(() => {
  document.body.innerHTML = `<h1 id="t">Original</h1>`;
  onApplied.mockReset();
  applier = createApplier(document, { refuse: vi.fn(), onApplied });
});
afterEach(() => applier.destroy());

describe("createApplier", () => {
  it("applies, reports the first application once, and undoes what is no longer wanted", () => {
    applier.sync([{ id: "a", variant: "treated", changes: [{ selector: "#t", text: "A" }, { selector: "#t", addClass: "x" }] }]);
    expect(document.getElementById("t")?.textContent).toBe("A");
    expect(onApplied).toHaveBeenCalledTimes(1);
    applier.sync([]);
    expect(document.getElementById("t")?.outerHTML).toBe(`<h1 id="t">Original</h1>`);
  });

  it("gives an element to the earlier experience when two change it", () => {
    applier.sync([
      { id: "first", variant: "treated", changes: [{ selector: "#t", text: "First" }] },
      { id: "second", variant: "treated", changes: [{ selector: "h1", text: "Second" }] },
    ]);
    expect(document.getElementById("t")?.textContent).toBe("First");
    applier.sync([{ id: "second", variant: "treated", changes: [{ selector: "h1", text: "Second" }] }]);
    expect(document.getElementById("t")?.textContent).toBe("Second");
  });

  it("waits quietly for an element that appears later, and for one re-rendered", async () => {
    applier.sync([{ id: "late", variant: "treated", changes: [{ selector: ".lazy", text: "Personal" }] }]);
    expect(applier.waiting()).toEqual(["late"]);
    const lazy = document.createElement("p");
    lazy.className = "lazy";
    lazy.textContent = "Generic";
    document.body.append(lazy);
    await wait();
    expect(lazy.textContent).toBe("Personal");
    expect(applier.waiting()).toEqual([]);
    lazy.remove();
    const again = document.createElement("p");
    again.className = "lazy";
    again.textContent = "Generic again";
    document.body.append(again);
    await wait();
    expect(again.textContent).toBe("Personal");
  });

  it("stops observing when nothing is wanted", () => {
    const disconnect = vi.spyOn(MutationObserver.prototype, "disconnect");
    applier.sync([{ id: "a", variant: "treated", changes: [{ selector: ".none", text: "x" }] }]);
    applier.sync([]);
    expect(disconnect).toHaveBeenCalled();
    disconnect.mockRestore();
  });

  it("re-applies when the rendered text changes (a trait arrived)", () => {
    applier.sync([{ id: "a", variant: "treated", changes: [{ selector: "#t", text: "Hi friend" }] }]);
    applier.sync([{ id: "a", variant: "treated", changes: [{ selector: "#t", text: "Hi Ada" }] }]);
    expect(document.getElementById("t")?.textContent).toBe("Hi Ada");
    applier.destroy();
    expect(document.getElementById("t")?.textContent).toBe("Original");
  });

  it("never applies half of an invalid change", () => {
    applier.sync([{ id: "a", variant: "treated", changes: [{ selector: "#t", text: "x", href: "javascript:alert(1)" }] }]);
    expect(document.getElementById("t")?.textContent).toBe("Original");
  });
});
