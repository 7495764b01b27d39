// The debug panel, in a shadow root so the page's CSS and segmint's never meet. (Placeholder: issue 8 fills it in.)
import type { DebugHandle, DebugPanel } from "../sdk";

/** Opens the panel for one instance; returns how to close it. */
export function openDebugPanel(handle: DebugHandle): DebugPanel {
  const host = document.createElement("segmint-debug");
  const root = host.attachShadow({ mode: "open" });
  const title = document.createElement("h2");
  title.textContent = `segmint debug: ${handle.instance.segments().join(", ") || "no segments"}`;
  root.append(title);
  document.documentElement.append(host);
  return { close: () => host.remove() };
}
