// Live: when the journal changes, the page fetches itself again and swaps its content in (the
// search box keeps what is being typed). The connection to /events is open only while the
// page is shown: a page left (back/forward cache) or hidden closes it, so browsing many pages
// in a row never exhausts the browser's six connections per host; it reopens when shown.
(function () {
  if (!window.EventSource) return;
  let events = null;
  async function refresh() {
    const response = await fetch(location.href, { headers: { Accept: "text/html" } });
    if (!response.ok) return;
    const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
    const main = fresh.querySelector("main");
    if (main) {
      document.querySelector("main").replaceWith(main);
      document.body.dataset.updated = String(Date.now());
    }
  }
  function open() {
    if (events || document.visibilityState === "hidden") return;
    events = new EventSource("/events");
    events.addEventListener("change", refresh);
    document.body.dataset.live = "open";
  }
  function close() {
    if (!events) return;
    events.close();
    events = null;
    document.body.dataset.live = "closed";
  }
  document.addEventListener("visibilitychange", () =>
    document.visibilityState === "hidden" ? close() : open());
  window.addEventListener("pagehide", close);
  window.addEventListener("pageshow", open);
  open();
})();
