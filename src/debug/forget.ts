// "Forget me": erases what segmint stored about this visitor, after a confirmation step inside the panel
// (window.confirm would freeze the page and cannot be styled or tested).
import { button, h, note, type Child } from "./dom";
import type { View } from "./view";

/** The Visitor data section. */
export function renderForget(view: View): Child[] {
  const { state } = view;
  const ask = () => ((state.forget = "confirm"), (state.focus = "forget-cancel"), view.render());
  switch (state.forget) {
    case "confirm":
      return [
        h("p", {}, "Erase everything segmint stored in this browser about this visitor (events, traits, segments, experiences)? A new anonymous visitor starts."),
        h("div", { class: "actions" },
          button("Yes, forget me", () => forget(view), { key: "forget-confirm", class: "danger" }),
          button("Cancel", () => ((state.forget = "idle"), (state.focus = "forget"), view.render()), { key: "forget-cancel" }),
        ),
      ];
    case "working":
      // Focusable, so keyboard focus stays here until the "Forget me…" button comes back.
      return [h("p", { class: "note", key: "forget", attrs: { tabindex: "-1" } }, "Erasing…")];
    default:
      return [
        state.forget === "done" && note("Erased: a new anonymous visitor started."),
        h("div", { class: "actions" }, button("Forget me…", ask, { key: "forget", class: "danger" })),
      ];
  }
}

function forget(view: View): void {
  view.state.forget = "working";
  view.state.focus = "forget";
  view.render();
  const done = () => ((view.state.forget = "done"), view.refresh());
  view.handle.instance.forget().then(done, done);
}
