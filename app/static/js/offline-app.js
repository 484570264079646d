/* Every signed-in page: the service worker, the pages this tablet keeps for use offline, the
   outbox's count in the menu, sending what waits when the connection returns, and sign-out.

   - After sign-in (and again every few minutes while connected) the pages the body names in
     data-offline-pages (the outbox and the entry forms, which carry the user's communities and
     taxonomies in their language) are fetched and kept in the "yntymak-pages" cache, with a note
     of whose they are. Another user signing in replaces them.
   - Signing out while entries wait asks first (they stay on the device for their author); with
     nothing waiting, the kept pages and the user's arrived entries are deleted.
   - A message a page leaves for the next one (sessionStorage "yntymak-flash") is shown here, as
     the server shows its own. */
(function () {
  "use strict";

  var body = document.body;
  var user = body.getAttribute("data-user");
  if (!user) return;
  var PAGES = "yntymak-pages";
  var META = "/offline-meta.json";
  var REFRESH = 5 * 60 * 1000;
  var outbox = window.YntymakOutbox;
  var strings = {};
  try {
    strings = JSON.parse(document.getElementById("offline-strings").textContent);
  } catch (e) { /* wording missing: the page still works */ }

  function fill(template, values) {
    return String(template || "").replace(/%\((\w+)\)[ds]/g, function (match, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : match;
    });
  }

  /* -- A message left by the page before ------------------------------------------------------ */

  function showFlash(text, category) {
    var main = document.getElementById("content");
    if (!main || !text) return;
    var box = main.querySelector(".flashes");
    if (!box) {
      box = document.createElement("div");
      box.className = "flashes";
      box.setAttribute("role", "status");
      main.insertBefore(box, main.firstChild);
    }
    var p = document.createElement("p");
    p.className = "flash flash-" + (category || "info");
    p.textContent = text;
    box.appendChild(p);
  }

  try {
    var left = JSON.parse(window.sessionStorage.getItem("yntymak-flash") || "null");
    window.sessionStorage.removeItem("yntymak-flash");
    if (left) showFlash(left.text, left.category);
  } catch (e) { /* no sessionStorage */ }

  /* -- Pages kept for offline use -------------------------------------------------------------- */

  var pages = [];
  try {
    pages = JSON.parse(body.getAttribute("data-offline-pages") || "[]");
  } catch (e) { pages = []; }
  var lang = document.documentElement.lang;

  function readMeta(cache) {
    return cache.match(META).then(function (hit) { return hit ? hit.json() : null; }).catch(function () { return null; });
  }

  function keepPages() {
    if (!window.caches || navigator.onLine === false) return Promise.resolve(false);
    return caches.open(PAGES).then(function (cache) {
      return readMeta(cache).then(function (meta) {
        var same = meta && meta.user === user && meta.lang === lang && meta.pages.join() === pages.join();
        if (same && Date.now() - meta.at < REFRESH) return true;
        var ready = meta && meta.user !== user ? caches.delete(PAGES).then(function () { return caches.open(PAGES); }) : Promise.resolve(cache);
        return ready.then(function (target) {
          return Promise.all(pages.map(function (url) {
            return fetch(url, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
              // a redirect (to the sign-in page) or an error is not the page
              if (!response.ok || response.redirected) throw new Error(url);
              return target.put(url, response);
            });
          })).then(function () {
            var note = JSON.stringify({ user: user, lang: lang, pages: pages, at: Date.now() });
            return target.put(META, new Response(note, { headers: { "Content-Type": "application/json" } }));
          }).then(function () { return true; });
        });
      });
    }).catch(function () { return false; });
  }

  function dropPages() {
    return window.caches ? caches.delete(PAGES).catch(function () {}) : Promise.resolve();
  }

  function controlled() {
    if (navigator.serviceWorker.controller) return Promise.resolve();
    return new Promise(function (resolve) {
      navigator.serviceWorker.addEventListener("controllerchange", function () { resolve(); });
    });
  }

  if ("serviceWorker" in navigator && body.getAttribute("data-sw")) {
    navigator.serviceWorker.register(body.getAttribute("data-sw"), { scope: "/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function () {
      return Promise.all([keepPages(), controlled()]);
    }).then(function (done) {
      // for tests and for the outbox page: the forms now open without a connection
      if (done[0]) document.documentElement.setAttribute("data-offline-ready", "");
    }).catch(function () { /* no service worker: everything still works while connected */ });
  }

  // Ask the browser not to clear the outbox when space runs short (the outbox page says whether).
  if (navigator.storage && navigator.storage.persist) {
    navigator.storage.persisted().then(function (yes) {
      if (!yes) return navigator.storage.persist();
    }).catch(function () {});
  }

  if (!outbox || !outbox.available()) return;

  /* -- The count in the menu, and sending what waits ----------------------------------------------- */

  var badge = document.querySelector("[data-outbox-count]");

  var shownCount = null;

  function showCount() {
    if (!badge) return;
    outbox.pending(user).then(function (entries) {
      // Redrawn only when the number changes: a retry in the background must not replace the
      // link's content under a finger (or a test's click) that is landing on it.
      if (entries.length === shownCount) return;
      shownCount = entries.length;
      badge.hidden = !entries.length;
      badge.textContent = "";
      if (!entries.length) return;
      // The number for the eyes, the sentence for screen readers (a bare number says little).
      var number = document.createElement("span");
      number.setAttribute("aria-hidden", "true");
      number.textContent = String(entries.length);
      var sentence = document.createElement("span");
      sentence.className = "visually-hidden";
      sentence.textContent = fill(strings.waiting_count, { num: entries.length });
      badge.appendChild(number);
      badge.appendChild(sentence);
    }).catch(function () {});
  }

  outbox.onChange(showCount);
  showCount();

  function syncSoon() {
    outbox.pending(user).then(function (entries) {
      var due = entries.some(function (e) { return e.state === "waiting" || e.state === "sending"; });
      if (due) outbox.sync(user);
    }).catch(function () {});
  }

  // the form page sends its own entry first; then the others go
  if (!document.querySelector("form.entry-form[data-outbox-kind]")) syncSoon();
  window.addEventListener("online", syncSoon);

  /* -- Sign-out -------------------------------------------------------------------------------------- */

  var signout = document.querySelector("form.signout");
  if (signout) {
    var leaving = false;
    signout.addEventListener("submit", function (event) {
      if (leaving) return;
      event.preventDefault();
      outbox.pending(user).then(function (entries) {
        if (entries.length) {
          if (!window.confirm(fill(strings.signout_waiting, { num: entries.length }))) return false;
          return true; // they stay, and so do the pages needed to fix them
        }
        return Promise.all([dropPages(), outbox.clearArrived(user, 0)]).then(function () { return true; });
      }).catch(function () {
        return true;
      }).then(function (go) {
        if (!go) return;
        leaving = true;
        signout.submit();
      });
    });
  }
})();
