/* The service worker: the app shell (styles, scripts) from its own cache, and the signed-in
   user's form pages and outbox when there is no connection. The route that serves this file
   puts self.YNTYMAK_OFFLINE = {version, shell, outbox} in front of it.

   - "yntymak-shell-<version>": the versioned static URLs, precached at install; a new static file
     makes a new version, and the old cache goes when it activates.
   - "yntymak-pages": the pages the signed-in user's tablet keeps (outbox, entry forms), written
     by offline-app.js after sign-in and deleted at sign-out or when another user signs in. Only
     read here, when the network fails: pages always come from the server first.
   - Nothing else is kept: not the API, not a record's page, not a list. */
(function () {
  "use strict";

  var CONFIG = self.YNTYMAK_OFFLINE;
  var SHELL = "yntymak-shell-" + CONFIG.version;
  var PAGES = "yntymak-pages";
  var EDIT = /^\/(activities|incidents|assessments)\/[0-9a-f-]{36}\/edit$/;

  self.addEventListener("install", function (event) {
    event.waitUntil(
      caches.open(SHELL).then(function (cache) {
        return cache.addAll(CONFIG.shell);
      }).then(function () {
        return self.skipWaiting();
      })
    );
  });

  self.addEventListener("activate", function (event) {
    event.waitUntil(
      caches.keys().then(function (names) {
        var old = names.filter(function (name) {
          return name.indexOf("yntymak-shell-") === 0 && name !== SHELL;
        });
        // Kept pages link the old versions of scripts: they are fetched again by the next page.
        if (old.length) old.push(PAGES);
        return Promise.all(old.map(function (name) { return caches.delete(name); }));
      }).then(function () {
        return self.clients.claim();
      })
    );
  });

  /* A request that neither answers nor fails (a village's "signal" that carries nothing) is
     given up after a while, so that a kept page still opens. */
  var PATIENCE = 15000;

  function patient(promise) {
    return new Promise(function (resolve, reject) {
      var timer = setTimeout(function () { reject(new Error("no answer")); }, PATIENCE);
      promise.then(function (value) { clearTimeout(timer); resolve(value); },
                   function (error) { clearTimeout(timer); reject(error); });
    });
  }

  /* The precached version; anything else from the network; without a connection, the current
     version of a file a page kept before the last update asks for in an older one. */
  function staticFile(request) {
    return caches.open(SHELL).then(function (cache) {
      return cache.match(request).then(function (hit) {
        return hit || patient(fetch(request)).catch(function (error) {
          return cache.match(request, { ignoreSearch: true }).then(function (other) {
            if (other) return other;
            throw error;
          });
        });
      });
    });
  }

  /* A page without a connection: the kept copy of it (its query string, such as ?outbox=, is
     read by the page's script), the kind's new-entry form for an edit opened from the outbox, or
     the outbox, which says the page asked for is not kept. */
  function offlinePage(url) {
    return caches.open(PAGES).then(function (cache) {
      var options = { ignoreSearch: true, ignoreVary: true };
      var edit = EDIT.exec(url.pathname);
      var wanted = edit ? "/" + edit[1] + "/new" : url.pathname;
      return cache.match(wanted, options).then(function (hit) {
        if (hit) return hit;
        return cache.match(CONFIG.outbox, options).then(function (outbox) {
          if (outbox) return outbox;
          return new Response("<!doctype html><title>Offline</title><p>No connection.</p>", {
            status: 503,
            headers: { "Content-Type": "text/html; charset=utf-8" },
          });
        });
      });
    });
  }

  self.addEventListener("fetch", function (event) {
    var request = event.request;
    if (request.method !== "GET") return;
    var url = new URL(request.url);
    if (url.origin !== self.location.origin || url.pathname.indexOf("/api/") === 0) return;
    if (url.pathname.indexOf("/static/") === 0) {
      event.respondWith(staticFile(request));
    } else if (request.mode === "navigate") {
      if (self.navigator && self.navigator.onLine === false) {
        event.respondWith(offlinePage(url)); // the browser knows there is no network: no wait
        return;
      }
      event.respondWith(
        patient(fetch(request)).catch(function () {
          return offlinePage(url);
        })
      );
    }
  });
})();
