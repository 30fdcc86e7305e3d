// shigoto dashboard: live updates. The page names what it shows in <body data-watch>; a server-sent-events stream
// says when that changed, and the page then fetches itself again and swaps its [data-live] parts. Without
// JavaScript (or EventSource) the pages still work; they just do not update by themselves.
(function () {
  "use strict";
  var body = document.body;
  if (!body || !body.dataset.watch || !window.EventSource || !window.fetch) {
    return;
  }
  var base = body.dataset.base;
  var source = null;
  var busy = false;
  var again = false;

  function connect(watch) {
    if (source) {
      source.close();
    }
    source = new EventSource(base + "/api/events?" + watch);
    source.addEventListener("changed", refresh);
  }

  function refresh() {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    fetch(window.location.href, { headers: { "Accept": "text/html" }, credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        document.querySelectorAll("[data-live]").forEach(function (part) {
          var next = fresh.querySelector('[data-live="' + part.dataset.live + '"]');
          if (next) {
            part.replaceWith(document.importNode(next, true));
          }
        });
        var watch = fresh.body.dataset.watch;
        if (watch && watch !== body.dataset.watch) {
          body.dataset.watch = watch;
          connect(watch);
        }
      })
      .catch(function () { /* the next change tries again */ })
      .finally(function () {
        busy = false;
        if (again) {
          again = false;
          refresh();
        }
      });
  }

  // a page kept in the back/forward cache would keep its stream, and browsers allow only a few connections per
  // server: close it when the page is hidden, open it again if the page comes back
  window.addEventListener("pagehide", function () {
    if (source) {
      source.close();
      source = null;
    }
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      connect(body.dataset.watch);
    }
  });

  // only once the page has loaded: a stream opened while it loads may hold back its load event
  if (document.readyState === "complete") {
    connect(body.dataset.watch);
  } else {
    window.addEventListener("load", function () { connect(body.dataset.watch); });
  }
})();
