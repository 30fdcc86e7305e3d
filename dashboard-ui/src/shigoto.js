// shigoto dashboard: live updates. The page names what it shows in <body data-watch>; a server-sent-events stream
// says when that changed, and the page then fetches itself again and swaps its [data-live] parts. Without
// JavaScript (or EventSource) the pages still work; they just do not update by themselves.
(function () {
  "use strict";
  // a post on selected rows says how many it will change before it goes
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-confirm-selected")) {
      return;
    }
    // getAttribute: form.id would answer the form's controls named "id", the checkboxes
    var count = document.querySelectorAll('input[name="id"][form="' + form.getAttribute("id") + '"]:checked').length;
    var button = event.submitter;
    var verb = button && button.dataset.verb ? button.dataset.verb : "Change";
    if (count === 0) {
      event.preventDefault();
      window.alert("Select some jobs first.");
    } else if (!window.confirm(verb + " " + count + " selected job" + (count === 1 ? "" : "s") + "?")) {
      event.preventDefault();
    }
  });
})();

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
        // rows the reader selected stay selected
        var checked = {};
        document.querySelectorAll('input[name="id"]:checked').forEach(function (box) { checked[box.value] = true; });
        fresh.querySelectorAll('input[name="id"]').forEach(function (box) { box.checked = !!checked[box.value]; });
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
