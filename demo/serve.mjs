// Serves the demo site and the built SDK: `npm start` (port 5173, or $PORT; 0 picks a free one).
// `--csp` (or startServer({ csp: true })) adds a strict Content-Security-Policy to every page.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

const demoDir = fileURLToPath(new URL(".", import.meta.url));
const distDir = fileURLToPath(new URL("../dist/", import.meta.url));
// End-to-end tests' own pages (test/e2e/fixtures/) are served under /fixtures/ next to the demo.
const fixturesDir = fileURLToPath(new URL("../test/e2e/fixtures/", import.meta.url));
const STRICT_CSP = "default-src 'self'; script-src 'self'; style-src 'self'";
const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8", ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml",
  ".map": "application/json; charset=utf-8", ".png": "image/png",
};

/** Starts the demo server; resolves with its URL and a close function. */
export function startServer({ port = 5173, csp = false, host = "127.0.0.1" } = {}) {
  const server = createServer((req, res) => {
    handle(req, res, csp).catch(() => {
      res.writeHead(500);
      res.end("server error");
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const url = `http://${host === "127.0.0.1" ? "localhost" : host}:${server.address().port}`;
      resolve({ url, close: () => new Promise((done) => server.close(done)), server });
    });
  });
}

async function handle(req, res, csp) {
  const { pathname } = new URL(req.url ?? "/", "http://localhost");
  const file = await resolveFile(decodeURIComponent(pathname));
  if (!file) {
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found");
    return;
  }
  const type = TYPES[extname(file)] ?? "application/octet-stream";
  const headers = { "content-type": type, "cache-control": "no-cache" };
  if (csp && type.startsWith("text/html")) headers["content-security-policy"] = STRICT_CSP;
  res.writeHead(200, headers);
  res.end(await readFile(file));
}

// /segmint*.js come from dist/; everything else from demo/ (a path ending in / serves its index.html).
async function resolveFile(pathname) {
  const inDist = /^\/segmint[\w.-]*\.(js|map|json)$/.test(pathname) && pathname !== "/segmint.rules.json";
  const inFixtures = pathname.startsWith("/fixtures/");
  const base = inDist ? distDir : inFixtures ? fixturesDir : demoDir;
  const relative = normalize(inFixtures ? pathname.slice("/fixtures".length) : pathname).replace(/^(\.\.[/\\])+/, "");
  for (const candidate of [relative, join(relative, "index.html"), `${relative}.html`]) {
    const full = join(base, candidate);
    if (!full.startsWith(base)) return undefined;
    try {
      if ((await stat(full)).isFile()) return full;
    } catch {}
  }
  return undefined;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const port = process.env.PORT === undefined ? 5173 : Number(process.env.PORT);
  const { url } = await startServer({ port, csp: process.argv.includes("--csp") });
  console.log(`segmint demo: ${url}/`);
}
