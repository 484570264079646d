/* The outbox: entries saved on this device (IndexedDB, through the vendored idb wrapper) until
   the server confirms it has them, and the one way they are sent (PUT /api/v1/<kind>/<uuid>).

   An entry keeps the UUID its form made, so sending it twice stores it once: the server answers
   an identical resend as the first time. Entries go one at a time, oldest first; after a failed
   try (no connection, a server error) the next try waits longer each time. An entry leaves the
   outbox only when the server has confirmed it (it is then "arrived", listed until sign-out) or
   when the volunteer discards it or takes the server's version.

   States: waiting, sending, arrived, refused (the server's messages kept beside the fields),
   conflict (409: stored differently on the server). Each entry names the user who saved it;
   only that user's entries are listed or sent.

   Exposes window.YntymakOutbox. */
(function () {
  "use strict";

  var DB_NAME = "yntymak";
  var STORE = "outbox";
  var API = "/api/v1/";
  var TIMEOUT = 20000;
  var ARRIVED_KEPT = 3 * 24 * 60 * 60 * 1000;
  var OPEN_STATES = { waiting: true, sending: true, refused: true, conflict: true };

  var listeners = [];
  var channel = typeof BroadcastChannel === "function" ? new BroadcastChannel("yntymak-outbox") : null;

  function available() {
    return typeof window.indexedDB !== "undefined" && typeof window.idb !== "undefined";
  }

  /* -- The database, reopened when the browser closed it (iOS does, in the background) ------ */

  var dbPromise = null;

  function open() {
    if (!dbPromise) {
      dbPromise = window.idb.openDB(DB_NAME, 1, {
        upgrade: function (db) {
          var store = db.createObjectStore(STORE, { keyPath: "uuid" });
          store.createIndex("user", "user");
        },
        blocking: function () {
          // another tab opens a newer version: let it, and reopen on the next call
          forget();
        },
        terminated: function () {
          dbPromise = null;
        },
      });
      dbPromise.catch(function () {
        dbPromise = null;
      });
    }
    return dbPromise;
  }

  function forget() {
    var current = dbPromise;
    dbPromise = null;
    if (current) {
      current.then(function (db) { db.close(); }, function () {});
    }
  }

  function closedError(error) {
    var name = error && error.name;
    return name === "InvalidStateError" || name === "UnknownError" || name === "TransactionInactiveError" ||
      /clos(ed|ing)/i.test(String(error && error.message));
  }

  /* Run fn(db); when the connection was closed under us, open it again and retry once. */
  function withDb(fn) {
    return open().then(fn).catch(function (error) {
      if (!closedError(error)) throw error;
      forget();
      return open().then(fn);
    });
  }

  /* -- Reading and writing entries ---------------------------------------------------------- */

  function notify(uuid) {
    listeners.forEach(function (fn) {
      try { fn(uuid); } catch (e) { /* a listener's trouble is its own */ }
    });
    if (channel) channel.postMessage({ changed: uuid });
  }

  if (channel) {
    channel.onmessage = function (event) {
      listeners.forEach(function (fn) { fn(event.data && event.data.changed); });
    };
  }

  function get(uuid) {
    return withDb(function (db) { return db.get(STORE, uuid); });
  }

  function put(entry) {
    entry.updated_at = new Date().toISOString();
    return withDb(function (db) { return db.put(STORE, entry); }).then(function () {
      notify(entry.uuid);
      return entry;
    });
  }

  function update(uuid, changes) {
    return get(uuid).then(function (entry) {
      if (!entry) return null;
      Object.keys(changes).forEach(function (key) { entry[key] = changes[key]; });
      return put(entry);
    });
  }

  function remove(uuid) {
    return withDb(function (db) { return db.delete(STORE, uuid); }).then(function () {
      notify(uuid);
    });
  }

  /* The user's entries, oldest first. */
  function list(user) {
    return withDb(function (db) { return db.getAllFromIndex(STORE, "user", user); }).then(function (entries) {
      return entries.sort(function (a, b) { return a.saved_at < b.saved_at ? -1 : a.saved_at > b.saved_at ? 1 : 0; });
    });
  }

  /* Entries not yet confirmed by the server. */
  function open_(user) {
    return list(user).then(function (entries) {
      return entries.filter(function (entry) { return OPEN_STATES[entry.state]; });
    });
  }

  /* Save what a form holds: a new entry, or the same UUID saved again (fixed, or edited). */
  function save(fields) {
    return get(fields.uuid).then(function (before) {
      var now = new Date().toISOString();
      var entry = {
        uuid: fields.uuid,
        user: fields.user,
        kind: fields.kind,
        body: fields.body,
        edit: Boolean(fields.edit),
        summary: fields.summary || {},
        labels: fields.labels || {},
        saved_at: before && before.user === fields.user && before.state !== "arrived" ? before.saved_at : now,
        state: "waiting",
        attempts: 0,
        next_try: 0,
        errors: null,
        error: null,
        server: null,
        answer: null,
      };
      return put(entry);
    });
  }

  /* Arrived entries of the user are forgotten (at sign-out, and after a few days). */
  function clearArrived(user, olderThan) {
    return list(user).then(function (entries) {
      var limit = Date.now() - (olderThan || 0);
      var gone = entries.filter(function (entry) {
        return entry.state === "arrived" && Date.parse(entry.updated_at) <= limit;
      });
      return Promise.all(gone.map(function (entry) { return remove(entry.uuid); }));
    });
  }

  /* -- Sending ---------------------------------------------------------------------------------- */

  function timedFetch(url, options) {
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, TIMEOUT) : null;
    var settings = Object.assign({ credentials: "same-origin", cache: "no-store" }, options);
    if (controller) settings.signal = controller.signal;
    return fetch(url, settings).then(
      function (response) { clearTimeout(timer); return response; },
      function (error) { clearTimeout(timer); throw error; }
    );
  }

  function readJson(response) {
    return response.json().catch(function () { return {}; });
  }

  /* Who is signed in: {user, csrf_token, ...}, or null when the session has ended; a failure to
     connect rejects. */
  function session() {
    return timedFetch(API + "session", { headers: { Accept: "application/json" } }).then(function (response) {
      if (response.status === 401) return null;
      if (!response.ok) throw new Error("session " + response.status);
      return response.json();
    });
  }

  /* Wait before the next try: 5 s, 10 s, 20 s ... at most 10 minutes, a little at random so that
     tablets coming back online together do not all call at once. */
  function backoff(attempts) {
    var base = Math.min(5000 * Math.pow(2, Math.max(0, attempts - 1)), 10 * 60 * 1000);
    return base + Math.floor(Math.random() * 1000);
  }

  function recordUrl(entry) {
    return API + entry.kind + "/" + entry.uuid;
  }

  /* One PUT of one entry; resolves to {outcome, entry, data}, where outcome is arrived, refused,
     conflict, waiting (not reached: tried again later) or signed-out. */
  function send(entry, token) {
    return update(entry.uuid, { state: "sending" }).then(function () {
      return timedFetch(recordUrl(entry), {
        method: "PUT",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": token },
        body: JSON.stringify(entry.body),
      });
    }).then(function (response) {
      return readJson(response).then(function (data) { return answer(entry, response.status, data); });
    }, function () {
      return notReached(entry);
    });
  }

  function notReached(entry) {
    var attempts = (entry.attempts || 0) + 1;
    return update(entry.uuid, { state: "waiting", attempts: attempts, next_try: Date.now() + backoff(attempts) })
      .then(function (saved) { return { outcome: "waiting", entry: saved }; });
  }

  function answer(entry, status, data) {
    if (status === 200 || status === 201) {
      return update(entry.uuid, { state: "arrived", answer: data, errors: null, error: null, server: null })
        .then(function (saved) { return { outcome: "arrived", entry: saved, data: data }; });
    }
    if (status === 401) {
      return update(entry.uuid, { state: "waiting" }).then(function (saved) {
        return { outcome: "signed-out", entry: saved, data: data };
      });
    }
    if (status === 409 && (data.code === "exists" || data.code === "stale")) {
      return timedFetch(recordUrl(entry), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .catch(function () { return null; })
        .then(function (server) {
          return update(entry.uuid, {
            state: "conflict", error: data.error || null, errors: data.errors || null,
            server: server, current_version: data.current_version,
          });
        })
        .then(function (saved) { return { outcome: "conflict", entry: saved, data: data }; });
    }
    if (status === 422 || (status >= 400 && status < 500 && status !== 408 && status !== 429)) {
      return update(entry.uuid, {
        state: "refused", errors: data.errors || null, error: data.error || null, status_code: status,
      }).then(function (saved) { return { outcome: "refused", entry: saved, data: data }; });
    }
    return notReached(entry); // 5xx, 408, 429: the server could not take it now
  }

  /* -- One sync at a time, across tabs where the browser has Web Locks ------------------------ */

  var localLock = Promise.resolve();

  function exclusive(fn) {
    if (navigator.locks && navigator.locks.request) {
      return navigator.locks.request("yntymak-outbox-sync", fn);
    }
    var run = localLock.then(fn, fn);
    localLock = run.catch(function () {});
    return run;
  }

  var timer = null;
  var lastState = { signedOut: false, offline: false };

  function schedule(user) {
    clearTimeout(timer);
    open_(user).then(function (entries) {
      var next = entries.filter(function (e) { return e.state === "waiting"; })
        .reduce(function (soonest, e) { return Math.min(soonest, e.next_try || 0); }, Infinity);
      if (next === Infinity) return;
      timer = setTimeout(function () { sync(user); }, Math.max(1000, next - Date.now()));
    }).catch(function () {});
  }

  /* Send the user's waiting entries, one at a time. force: also those still backing off (Sync
     now). only: send just this UUID (a form's own save). Resolves to
     {sent, refused, waiting, signedOut, offline, results}. */
  function sync(user, options) {
    options = options || {};
    return exclusive(function () {
      var summary = { sent: 0, refused: 0, waiting: 0, signedOut: false, offline: false, results: [] };
      if (navigator.onLine === false) {
        summary.offline = true;
        return summary;
      }
      return session().then(function (who) {
        if (!who || who.user !== user) {
          summary.signedOut = true; // ended, or someone else signed in: send nothing of this user
          return summary;
        }
        return open_(user).then(function (entries) {
          var now = Date.now();
          var due = entries.filter(function (entry) {
            if (options.only) return entry.uuid === options.only;
            var pending = entry.state === "waiting" || entry.state === "sending";
            return pending && (options.force || !entry.next_try || entry.next_try <= now);
          });
          return due.reduce(function (chain, entry) {
            return chain.then(function (stop) {
              if (stop) return true;
              return send(entry, who.csrf_token).then(function (result) {
                summary.results.push(result);
                if (result.outcome === "arrived") summary.sent += 1;
                if (result.outcome === "refused" || result.outcome === "conflict") summary.refused += 1;
                if (result.outcome === "waiting") summary.waiting += 1;
                if (result.outcome === "signed-out") summary.signedOut = true;
                // no connection or no session: the next entries would fare no better
                return result.outcome === "waiting" || result.outcome === "signed-out";
              });
            });
          }, Promise.resolve(false));
        });
      }, function () {
        summary.offline = true;
        return summary;
      }).then(function () {
        lastState = { signedOut: summary.signedOut, offline: summary.offline };
        return summary;
      });
    }).then(function (summary) {
      schedule(user);
      return summary;
    });
  }

  /* -- The file "Save a copy" downloads (read by the administrator's import) ------------------- */

  function copyFile(user, username) {
    return open_(user).then(function (entries) {
      return {
        format: "yntymak-outbox",
        version: 1,
        saved_at: new Date().toISOString(),
        user: user,
        username: username,
        entries: entries.map(function (entry) {
          return { kind: entry.kind, uuid: entry.uuid, body: entry.body, saved_at: entry.saved_at };
        }),
      };
    });
  }

  /* A UUID made on the device: crypto.randomUUID where the browser has it, else version 4 from
     getRandomValues (older tablets, and pages not served over HTTPS). */
  function newUuid() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") return window.crypto.randomUUID();
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  window.YntymakOutbox = {
    available: available,
    db: open,
    get: get,
    save: save,
    update: update,
    remove: remove,
    list: list,
    pending: open_,
    clearArrived: clearArrived,
    sync: sync,
    schedule: schedule,
    copyFile: copyFile,
    newUuid: newUuid,
    lastState: function () { return lastState; },
    onChange: function (fn) { listeners.push(fn); },
    ARRIVED_KEPT: ARRIVED_KEPT,
  };
})();
