// The debug panel: a <segmint-debug> element whose shadow root holds the drawer, so the page's CSS and the panel's
// never meet. It re-renders (at most once a frame) when the instance reports segments, exposures, conversions,
// offers or problems, and never throws into the page.
import type { DebugHandle, DebugPanel } from "../sdk";
import type { SegmintEvents } from "../emitter";
import { guarded, rearmWarning, warnOnce } from "./dom";
import { adoptPanelStyles } from "./styles";
import { buildShell } from "./shell";
import { frameScheduler } from "./frame";
import { validateRulesFile } from "./validate";
import { initialState, type StoredEvent, type View } from "./view";

const LIVE: ReadonlyArray<keyof SegmintEvents> = ["segments", "exposure", "conversion", "offer", "error"];

/** Opens the panel for one instance; returns how to close it. */
export function openDebugPanel(handle: DebugHandle): DebugPanel {
  try {
    return mount(handle);
  } catch (error) {
    warnOnce(error);
    return { close() {} };
  }
}

// Everything that can fail runs before the panel joins the page and subscribes, so a failure leaves nothing behind.
function mount(handle: DebugHandle): DebugPanel {
  rearmWarning();
  const host = document.createElement("segmint-debug");
  const root = host.attachShadow({ mode: "open" });
  adoptPanelStyles(root);
  const state = initialState();
  const safeRender = guarded(render);
  const frame = frameScheduler(safeRender);
  let loads = 0;
  let closed = false;

  const view: View = {
    handle,
    state,
    render: () => closed || frame.schedule(),
    refresh: () => (loadEvents(), view.render()),
    validate: guarded(validate),
  };
  // The close button goes through debug(false), so that debug() can open the panel again afterwards.
  const shell = buildShell(view, () => (panel.close(), handle.instance.debug(false)));
  root.append(shell.drawer);
  let stops: Array<() => void> = [];
  const panel: DebugPanel = {
    close: guarded(() => {
      if (closed) return;
      closed = true;
      for (const stop of stops) stop();
      frame.cancel();
      host.remove();
    }),
  };

  function render(): void {
    if (closed) return;
    const focused = (root.activeElement as HTMLElement | null)?.dataset.key;
    shell.fill(view);
    const key = state.focus ?? focused;
    state.focus = undefined;
    if (key) Array.from(root.querySelectorAll<HTMLElement>("[data-key]")).find((e) => e.dataset.key === key)?.focus();
  }

  // export() is asynchronous: only the latest answer is kept.
  function loadEvents(): void {
    const load = ++loads;
    Promise.resolve()
      .then(() => handle.instance.export())
      .then((data) => {
        if (load !== loads || closed) return;
        state.events = eventsOf(data);
        view.render();
      })
      .catch(warnOnce);
  }

  function validate(): void {
    const url = handle.rulesUrl;
    if (!url) return;
    state.validation = { status: "checking" };
    view.render();
    void validateRulesFile(url).then((validation) => ((state.validation = validation), view.render()));
  }

  document.documentElement.append(host);
  stops = LIVE.map((name) => handle.instance.on(name, () => view.refresh()));
  safeRender();
  loadEvents();
  // Rules that could not be used are checked path by path once the runtime has given up on them.
  void handle.instance.ready.then(guarded(() => {
    view.refresh();
    if (!handle.rules() && !closed) view.validate();
  }));
  return panel;
}

function eventsOf(data: object): StoredEvent[] {
  const events = (data as { events?: unknown }).events;
  return Array.isArray(events) ? events.filter((e): e is StoredEvent => typeof e === "object" && e !== null) : [];
}
