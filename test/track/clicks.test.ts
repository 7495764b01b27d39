import { fireEvent } from "@testing-library/dom";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { watchClicks, type ClickGoal } from "../../src/track/clicks";

let stop = () => {};
// jsdom cannot follow links; the page (not segmint) stops them here, after our capture listener has run.
const noNavigation = (e: Event) => e.preventDefault();
beforeAll(() => document.addEventListener("click", noNavigation));
afterAll(() => document.removeEventListener("click", noNavigation));
afterEach(() => {
  stop();
  document.body.innerHTML = "";
});

const watch = (goals: Array<{ selector: string; experience: string }> = [], onError?: (e: unknown) => void) => {
  const onGoal = vi.fn<(goal: ClickGoal) => void>();
  stop = watchClicks(onError ? { goalSelectors: () => goals, onGoal, onError } : { goalSelectors: () => goals, onGoal });
  return onGoal;
};
const click = (selector: string) => fireEvent.click(document.querySelector(selector)!);

describe("watchClicks", () => {
  it("reports data-segmint-goal on the element or an ancestor, with the link's absolute URL", () => {
    document.body.innerHTML = `<a href="/signup?plan=pro" data-segmint-goal="cta"><span class="label">Start</span></a>
      <div data-segmint-goal="card"><p>text</p></div>`;
    const onGoal = watch();
    click(".label");
    click("p");
    expect(onGoal.mock.calls).toEqual([
      [{ name: "cta", href: "http://localhost:3000/signup?plan=pro" }],
      [{ name: "card" }],
    ]);
  });

  it("reports an experience's click goal selector with the experience id", () => {
    document.body.innerHTML = `<section id="hero"><a class="cta" href="https://docs.example/start"><b>Go</b></a></section>`;
    const onGoal = watch([{ selector: "#hero .cta", experience: "hero-returning" }]);
    click("b");
    expect(onGoal.mock.calls).toEqual([
      [{ name: "#hero .cta", experience: "hero-returning", href: "https://docs.example/start" }],
    ]);
  });

  it("reports every goal a click hits, and nothing for other clicks", () => {
    document.body.innerHTML = `<button class="buy" data-segmint-goal="buy">Buy</button><button class="other">x</button>`;
    const onGoal = watch([{ selector: ".buy", experience: "a" }, { selector: "button.buy", experience: "b" }]);
    click(".other");
    click(".buy");
    expect(onGoal.mock.calls.map(([goal]) => goal)).toEqual([
      { name: "buy" },
      { name: ".buy", experience: "a" },
      { name: "button.buy", experience: "b" },
    ]);
  });

  it("reads the selectors at click time", () => {
    document.body.innerHTML = `<button id="b">x</button>`;
    const goals: Array<{ selector: string; experience: string }> = [];
    const onGoal = watch(goals);
    click("#b");
    goals.push({ selector: "#b", experience: "late" });
    click("#b");
    expect(onGoal).toHaveBeenCalledOnce();
  });

  it("skips an invalid selector without throwing", () => {
    document.body.innerHTML = `<button id="b">x</button>`;
    const onGoal = watch([{ selector: "#b[", experience: "broken" }, { selector: "#b", experience: "ok" }]);
    expect(() => click("#b")).not.toThrow();
    expect(onGoal.mock.calls).toEqual([[{ name: "#b", experience: "ok" }]]);
  });

  it("sees clicks whose propagation the site stops", () => {
    document.body.innerHTML = `<button data-segmint-goal="menu">x</button>`;
    document.querySelector("button")!.addEventListener("click", (e) => e.stopPropagation());
    const onGoal = watch();
    click("button");
    expect(onGoal).toHaveBeenCalledOnce();
  });

  it("reports each failing goal handler and still delivers the others", () => {
    document.body.innerHTML = `<button data-segmint-goal="g">x</button>`;
    const onError = vi.fn();
    const seen: string[] = [];
    stop = watchClicks({
      goalSelectors: () => [{ selector: "button", experience: "e" }],
      onGoal: (goal) => {
        seen.push(goal.name);
        if (!goal.experience) throw new Error("x");
      },
      onError,
    });
    expect(() => click("button")).not.toThrow();
    expect(seen).toEqual(["g", "button"]);
    expect(onError).toHaveBeenCalledOnce();
  });

  it("reports nothing after stop", () => {
    document.body.innerHTML = `<button data-segmint-goal="g">x</button>`;
    const onGoal = watch();
    stop();
    click("button");
    expect(onGoal).not.toHaveBeenCalled();
  });
});
