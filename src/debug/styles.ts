// The panel's stylesheet, adopted by its shadow root as a constructed stylesheet: no <style> element and no style
// attributes, so it works under `style-src 'self'`; and inside the shadow root, so the page's CSS and the panel's
// never meet.

const PANEL_CSS = `
:host{all:initial}
[hidden]{display:none!important}
.drawer{position:fixed;top:0;right:0;bottom:0;z-index:2147483646;box-sizing:border-box;width:min(440px,100vw);
  display:flex;flex-direction:column;background:#fff;color:#1f2328;border-left:1px solid #d0d7de;
  box-shadow:-4px 0 16px #0002;font:13px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;text-align:left}
.drawer.min{top:auto;bottom:12px;right:12px;width:auto;max-width:calc(100vw - 24px);border:1px solid #d0d7de;border-radius:8px}
.bar{display:flex;align-items:center;gap:6px;padding:8px 10px;background:#24292f;color:#fff;flex-wrap:wrap}
.drawer.min .bar{border-radius:7px}
h2{margin:0;font-size:14px;font-weight:600;flex:1;white-space:nowrap}
.summary{order:1;flex-basis:100%;font-size:12px;opacity:.85}
.drawer.min .summary{display:none}
button{font:inherit;font-size:12px;padding:3px 8px;border:1px solid #8c959f;border-radius:5px;background:#f6f8fa;
  color:#1f2328;cursor:pointer}
button:hover{background:#eaeef2}
button:focus-visible,input:focus-visible,summary:focus-visible{outline:2px solid #0969da;outline-offset:1px}
.bar button{background:#32383f;color:#fff;border-color:#57606a}
.danger{border-color:#cf222e;color:#a40e26}
.banner{padding:8px 10px;background:#fff8c5;border-bottom:1px solid #d4a72c;color:#3b2300}
.banner button{margin-left:6px}
.body{flex:1;overflow:auto;padding:4px 10px 16px}
details{border-bottom:1px solid #d8dee4;padding:4px 0}
summary{cursor:pointer;padding:4px 0}
summary h3{display:inline;margin:0;font-size:13px;font-weight:600}
h4{margin:10px 0 4px;font-size:12px;font-weight:600;color:#57606a;text-transform:uppercase;letter-spacing:.04em}
table{width:100%;border-collapse:collapse;margin:4px 0 8px;font-size:12px}
th,td{padding:3px 6px;border-bottom:1px solid #eaeef2;vertical-align:top;text-align:left;overflow-wrap:anywhere}
th{color:#57606a;font-weight:600;white-space:nowrap}
tbody tr:nth-child(even){background:#f6f8fa}
code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.note{color:#57606a;margin:4px 0}
ul{list-style:none;margin:0;padding:0}
.segment{padding:6px 0;border-bottom:1px solid #eaeef2}
.segment-row{display:flex;align-items:center;gap:6px;flex-wrap:wrap}
.segment-id{font-weight:600}
.badge{font-size:11px;padding:0 6px;border-radius:9px;background:#eaeef2;color:#424a53}
.badge.member{background:#dafbe1;color:#116329}
.badge.sticky{background:#ddf4ff;color:#0550ae}
.badge.forced{background:#fff8c5;color:#7d4e00}
.force{margin-left:auto;font-size:12px;display:flex;align-items:center;gap:4px}
.state{white-space:nowrap}
.pass{color:#116329;font-weight:700}
.fail{color:#cf222e;font-weight:700}
.problems li{margin:4px 0}
.problems code{color:#a40e26}
.actions{display:flex;gap:6px;flex-wrap:wrap;align-items:center;margin:6px 0}
`;

/** Adopts the panel's stylesheet into its shadow root (unstyled where constructable stylesheets are missing). */
export function adoptPanelStyles(root: ShadowRoot): void {
  const Sheet = root.ownerDocument.defaultView?.CSSStyleSheet;
  // Safari before 16.4 has no constructable stylesheets; a <style> would break a strict CSP, so the panel is plain.
  if (!Sheet || !("adoptedStyleSheets" in root) || !("replaceSync" in Sheet.prototype)) return;
  const sheet = new Sheet();
  sheet.replaceSync(PANEL_CSS);
  root.adoptedStyleSheets = [sheet];
}
