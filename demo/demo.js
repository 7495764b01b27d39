// Shows what segmint derived for this visitor (a real site would not need this).
const sm = window.segmint;
sm.ready.then(show);
sm.on("segments", show);

function show() {
  const context = sm.context();
  document.getElementById("segments").textContent = sm.segments().join(", ") || "(none yet)";
  if (context) {
    document.getElementById("pageviews").textContent = String(context.visitor.pageviews);
    document.getElementById("sessions").textContent = String(context.visitor.sessions);
  }
}

document.getElementById("forget").addEventListener("click", () => sm.forget().then(() => location.reload()));
