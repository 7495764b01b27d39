// Moving a textarea's caret to a place in its text and scrolling it into view: what choosing a problem does.
import type { Span } from "./json-locate";

/** Selects `span` in `textarea`, scrolled so it is in view, and focuses it. */
export function revealSpan(textarea: HTMLTextAreaElement, span: Span): void {
  textarea.focus({ preventScroll: true });
  textarea.setSelectionRange(span.start, span.end);
  // Browsers do not reliably scroll a textarea to a selection set from script: place the line a third of the way
  // down, and the column in view (the editors are monospace and do not wrap).
  const before = textarea.value.slice(0, span.start);
  const line = before.split("\n").length - 1;
  const column = before.length - before.lastIndexOf("\n") - 1;
  const style = getComputedStyle(textarea);
  const lineHeight = parseFloat(style.lineHeight) || 18;
  textarea.scrollTop = Math.max(0, line * lineHeight - textarea.clientHeight / 3);
  const x = column * charWidth(style.font);
  textarea.scrollLeft = x < textarea.clientWidth * 0.8 ? 0 : x - textarea.clientWidth / 3;
  textarea.scrollIntoView({ block: "nearest" });
}

function charWidth(font: string): number {
  const context = document.createElement("canvas").getContext("2d");
  if (!context) return 8;
  context.font = font;
  return context.measureText("0").width || 8;
}
