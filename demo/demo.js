// The demo site's own script (external, so the strict CSP holds). It does what a real site's code would — report
// purchases and sign-ups to segmint, run the site search — and shows what segmint knows about the visitor in the
// footer, which a real site would not. Personalization itself lives in segmint.rules.json and the page markup.
const sm = window.segmint;

sm.ready.then(showVisitor);
sm.on("segments", showVisitor);

/** The footer's "What this browser knows about you". */
function showVisitor() {
  const context = sm.context();
  setText("#segments", sm.segments().join(", ") || "(none yet)");
  if (!context) return;
  setText("#pageviews", String(context.visitor.pageviews));
  setText("#sessions", String(context.visitor.sessions));
  const interests = Object.entries(context.interests).sort((a, b) => b[1] - a[1]).slice(0, 4).map(([tag]) => tag);
  setText("#interests", interests.join(", ") || "(none yet)");
}

function setText(selector, text) {
  const element = document.querySelector(selector);
  if (element) element.textContent = text;
}

// Erases everything this browser kept; segmint starts a new anonymous visitor on this page.
document.getElementById("forget")?.addEventListener("click", () => {
  sm.forget().then(() => {
    showVisitor();
    setText("#forget-status", "Forgotten: this browser now holds nothing about you but this page view.");
  });
});

// Pricing: "Buy" reports a purchase, as an order confirmation would (segments vip and customer use it).
for (const button of document.querySelectorAll("button[data-buy]")) {
  button.addEventListener("click", () => {
    const plan = button.dataset.buy;
    const value = Number(button.dataset.value);
    sm.track("purchase", { plan, value });
    setText("#order-status", `Order recorded: ${plan}, $${value.toLocaleString("en-US")} a year. (A demo: nothing is charged.)`);
  });
}

// Custom events a page reports on load (the sign-up confirmation page: the `signup` goal).
for (const element of document.querySelectorAll("[data-demo-event]")) sm.track(element.dataset.demoEvent);

// The newsletter box: a real site would post the address to its mailing-list provider.
document.getElementById("newsletter-form")?.addEventListener("submit", (event) => {
  event.preventDefault();
  sm.track("newsletter_signup");
  event.target.hidden = true;
  setText("#newsletter-status", "Thanks, you're subscribed. The next post arrives on the first of the month.");
});

showSearchResults();

/** The search page: results from the page's own index, and the searches segmint recorded for this visitor. */
function showSearchResults() {
  const list = document.getElementById("search-results");
  const index = document.getElementById("search-index");
  if (!list || !index) return;
  const query = (new URLSearchParams(location.search).get("q") ?? "").trim();
  const box = document.querySelector(".site-search input[name=q]");
  if (box) box.value = query;
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const pages = JSON.parse(index.textContent);
  const found = words.length ? pages.filter((p) => words.every((w) => `${p.title} ${p.text}`.toLowerCase().includes(w))) : [];
  setText(
    "#search-summary",
    !words.length ? "Type a word in the search box above."
      : found.length ? `${found.length} ${found.length === 1 ? "result" : "results"} for “${query}”`
      : `No results for “${query}”. Try “alerts”, “API” or “SLA”.`,
  );
  list.replaceChildren(...found.map(resultItem));
  sm.ready.then(() => setText("#recent-searches", (sm.context()?.searches ?? []).join(" · ") || "(none yet)"));
}

function resultItem({ url, title, text }) {
  const item = document.createElement("li");
  const link = item.appendChild(document.createElement("a"));
  link.href = url;
  link.textContent = title;
  item.appendChild(document.createElement("p")).textContent = text;
  return item;
}
