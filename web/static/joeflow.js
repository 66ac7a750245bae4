// Shows each <time datetime> of the page in the reader's time zone, as "2026-12-01 03:51:25 GMT+1".
// The server wrote the time in UTC: that text moves to the title, shown on hover. Without this
// script the pages show UTC. It also localizes times that other scripts put into the page later.
(() => {
  const pad = (n) => String(n).padStart(2, "0");
  const zone = (date) =>
    new Intl.DateTimeFormat(undefined, { timeZoneName: "short" })
      .formatToParts(date)
      .find((part) => part.type === "timeZoneName")?.value ?? "";
  const local = (date) =>
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())} ${zone(date)}`;

  const localize = (root) => {
    for (const time of root.querySelectorAll("time[datetime]:not([data-local])")) {
      const datetime = time.getAttribute("datetime") ?? "";
      const date = new Date(datetime);
      // Only instants are moved: a plain date ("2026-12-01") has no time zone.
      if (!datetime.includes("T") || Number.isNaN(date.getTime())) continue;
      if (!time.title) time.title = time.textContent.trim();
      time.textContent = local(date);
      time.dataset.local = "";
    }
  };

  localize(document);
  new MutationObserver((changes) => {
    for (const change of changes) {
      for (const node of change.addedNodes) if (node instanceof Element) localize(node.parentElement ?? node);
    }
  }).observe(document.documentElement, { childList: true, subtree: true });
})();

// The message after an action came as a code in the address (?done=…): a reload should not repeat it.
(() => {
  const url = new URL(location.href);
  if (!url.searchParams.has("done")) return;
  url.searchParams.delete("done");
  url.searchParams.delete("task");
  url.searchParams.delete("workflow");
  history.replaceState(history.state, "", url.pathname + url.search + url.hash);
})();
