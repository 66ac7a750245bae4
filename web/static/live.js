// joeflow's live pages (see web/live/mod.ts): a page that names an event stream in `data-live-stream`
// listens to it; on each "change" it fetches its own URL as a fragment and swaps every element marked
// `data-live-region` for the new one of the same id. Without this script (or JavaScript) the page is
// the same page, current when loaded. No framework, no inline code: the CSP allows scripts from here only.
(() => {
  const root = document.querySelector("[data-live-stream]");
  if (!root || !("EventSource" in window)) return;
  let busy = false;
  let again = false;
  let source;

  /** Fetches the sections again; changes arriving meanwhile cause one more fetch, not one each. */
  async function refresh() {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      const response = await fetch(location.href, {
        headers: { "x-joeflow-fragment": "1" },
        credentials: "same-origin",
        redirect: "manual", // signed out: a redirect to the sign-in page, which has no sections
      });
      if (!response.ok) {
        // Gone, or no longer ours to see: stop listening; a reload says why.
        if (response.status !== 503) source.close();
        return;
      }
      swap(new DOMParser().parseFromString(await response.text(), "text/html"));
    } catch {
      // The network is down for a moment: the next change (or reconnect) fetches again.
    } finally {
      busy = false;
      if (again) {
        again = false;
        void refresh();
      }
    }
  }

  function swap(next) {
    for (const region of document.querySelectorAll("[data-live-region]")) {
      const fresh = region.id && next.getElementById(region.id);
      // Unchanged sections stay as they are: the reader's focus, selection and open <details> with them.
      if (fresh && fresh.outerHTML !== region.outerHTML) {
        region.replaceWith(document.importNode(fresh, true));
      }
    }
  }

  source = new EventSource(root.getAttribute("data-live-stream"));
  source.addEventListener("change", () => void refresh());
})();
