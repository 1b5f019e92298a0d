// Board pack progress: with JavaScript, poll the page itself and swap in the progress
// section when the status changes (no reload), announcing the new status politely.
// Without JavaScript a <noscript> meta refresh does the same; either can be turned off.
const REFRESH_MS = 3000;

async function poll() {
  const current = document.querySelector("[data-pack-progress]");
  try {
    const response = await fetch(window.location.href, { headers: { Accept: "text/html" }, credentials: "same-origin" });
    if (response.ok) {
      const html = await response.text();
      const next = new DOMParser().parseFromString(html, "text/html").querySelector("[data-pack-progress]");
      if (next && next.dataset.packStatus !== current.dataset.packStatus) {
        current.innerHTML = next.innerHTML;
        Object.assign(current.dataset, next.dataset);
        const announce = document.querySelector("[data-pack-announce]");
        if (announce) announce.textContent = next.dataset.packAnnouncement;
      }
      if (next && next.dataset.packInProgress !== "true") return;
    }
  } catch (error) {
    // A network blip: try again at the next tick.
  }
  window.setTimeout(poll, REFRESH_MS);
}

const progress = document.querySelector("[data-pack-progress]");
if (progress && progress.dataset.packInProgress === "true") {
  window.setTimeout(poll, REFRESH_MS);
}
