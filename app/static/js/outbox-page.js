/* The outbox page: every entry this device keeps for the signed-in user, with its state in words
   (waiting, sending, arrived, refused, changed on the server), the server's messages beside the
   fields of a refused entry, both versions of a conflicting one, and the actions: Sync now, Save
   a copy (a JSON file an administrator imports), Open and fix, Discard, Keep mine, Take the
   server's. The page may come from the tablet's cache: everything here is read from IndexedDB. */
(function () {
  "use strict";

  var root = document.querySelector("[data-outbox]");
  var outbox = window.YntymakOutbox;
  if (!root) return;
  var user = root.getAttribute("data-user");
  var username = root.getAttribute("data-username");
  var list = root.querySelector("[data-outbox-list]");
  var empty = root.querySelector("[data-outbox-empty]");
  var notice = root.querySelector("[data-outbox-notice]");
  var connection = root.querySelector("[data-connection]");
  var storage = root.querySelector("[data-storage]");
  var strings = {};
  var common = {};
  try {
    strings = JSON.parse(document.getElementById("outbox-strings").textContent);
    common = JSON.parse(document.getElementById("offline-strings").textContent);
  } catch (e) { /* wording missing */ }
  var SKIP = { status: true, base_version: true, uuid: true, version: true, url: true };

  function fill(template, values) {
    return String(template || "").replace(/%\((\w+)\)[ds]/g, function (match, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : match;
    });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  }

  function when(iso) {
    var date = typeof iso === "number" ? new Date(iso) : new Date(iso);
    try {
      return date.toLocaleString(document.documentElement.lang || undefined, { dateStyle: "medium", timeStyle: "short" });
    } catch (e) {
      return date.toLocaleString();
    }
  }

  function say(text, category) {
    notice.textContent = text || "";
    notice.className = "outbox-notice flash flash-" + (category || "info");
    notice.hidden = !text;
  }

  if (window.location.pathname !== document.body.getAttribute("data-outbox-url")) {
    // the service worker answered with the outbox for a page it does not keep: once the
    // connection is back, the page asked for is shown
    say(common.not_kept, "info");
    window.addEventListener("online", function () { window.location.reload(); });
  }

  if (!outbox || !outbox.available()) {
    storage.textContent = strings.no_storage;
    root.querySelector("[data-sync-now]").hidden = true;
    root.querySelector("[data-save-copy]").hidden = true;
    return;
  }

  /* -- Storage and connection ------------------------------------------------------------------ */

  function showStorage() {
    if (!navigator.storage || !navigator.storage.persist) {
      storage.textContent = strings.not_persisted;
      return;
    }
    navigator.storage.persisted().then(function (yes) {
      return yes || navigator.storage.persist();
    }).then(function (granted) {
      storage.textContent = granted ? strings.persisted : strings.not_persisted;
      storage.setAttribute("data-persisted", granted ? "yes" : "no");
    }).catch(function () {
      storage.textContent = strings.not_persisted;
    });
  }

  function showConnection(signedOut) {
    connection.textContent = "";
    if (navigator.onLine === false) {
      connection.textContent = strings.offline;
    } else if (signedOut) {
      connection.appendChild(document.createTextNode(strings.signed_out + " "));
      var link = el("a", null, strings.sign_in);
      link.href = "/login?next=" + encodeURIComponent(document.body.getAttribute("data-outbox-url") || "/outbox");
      connection.appendChild(link);
    } else {
      connection.textContent = strings.online;
    }
  }

  /* -- What the server's form calls each choice (for the two versions of a conflict) ------------ */

  var choiceCache = {};

  function choiceTexts(kind) {
    if (!choiceCache[kind]) {
      choiceCache[kind] = fetch("/" + kind + "/new", { credentials: "same-origin" }).then(function (response) {
        return response.ok ? response.text() : "";
      }).then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var texts = {};
        function add(name, value, text) {
          (texts[name] = texts[name] || {})[value] = text.replace(/\s+/g, " ").trim();
        }
        Array.prototype.forEach.call(doc.querySelectorAll("select[name] option"), function (option) {
          add(option.parentNode.closest("select").name, option.value, option.textContent);
        });
        Array.prototype.forEach.call(doc.querySelectorAll("input[type=checkbox][name], input[type=radio][name]"), function (input) {
          var label = input.closest("label");
          add(input.name, input.value, label ? label.textContent : input.value);
        });
        return texts;
      }).catch(function () { return {}; });
    }
    return choiceCache[kind];
  }

  function shown(texts, name, value) {
    var names = texts[name] || {};
    if (Array.isArray(value)) {
      return value.map(function (v) { return names[v] || v; }).join(", ") || "—";
    }
    if (value == null || value === "") return "—";
    return names[String(value)] || String(value);
  }

  function same(a, b) {
    function norm(v) {
      if (Array.isArray(v)) return v.map(String).sort().join("\n");
      return v == null || v === "" || v === 0 || v === "0" ? "" : String(v);
    }
    return norm(a) === norm(b);
  }

  /* -- One entry ------------------------------------------------------------------------------------ */

  function fixUrl(entry) {
    var page = entry.edit ? "/" + entry.kind + "/" + entry.uuid + "/edit" : "/" + entry.kind + "/new";
    return page + "?outbox=" + encodeURIComponent(entry.uuid);
  }

  function button(text, className, action) {
    var b = el("button", "btn " + className, text);
    b.type = "button";
    b.addEventListener("click", action);
    return b;
  }

  function errorList(entry) {
    var ul = el("ul", "outbox-errors");
    var errors = entry.errors || {};
    Object.keys(errors).forEach(function (name) {
      var li = el("li");
      var label = name === "_form" ? strings.form_errors : (entry.labels && entry.labels[name]) || name;
      li.appendChild(el("strong", null, label + ": "));
      li.appendChild(document.createTextNode(errors[name].join(" ")));
      ul.appendChild(li);
    });
    if (entry.error && !ul.children.length) ul.appendChild(el("li", null, entry.error));
    return ul;
  }

  function discard(entry) {
    if (!window.confirm(strings.discard_confirm)) return;
    outbox.remove(entry.uuid).then(function () { say(strings.discarded, "info"); render(); });
  }

  function keepMine(entry) {
    var body = Object.assign({}, entry.body);
    var current = entry.current_version || (entry.server && entry.server.version);
    if (current) body.base_version = current;
    outbox.update(entry.uuid, {
      body: body, edit: true, state: "waiting", attempts: 0, next_try: 0, errors: null, error: null, server: null,
    }).then(function () { return syncNow(); });
  }

  function takeServer(entry) {
    outbox.remove(entry.uuid).then(function () { say(strings.taken_server, "info"); render(); });
  }

  function compare(entry, box) {
    var server = entry.server || {};
    choiceTexts(entry.kind).then(function (texts) {
      var names = Object.keys(entry.body).concat(Object.keys(server)).filter(function (name, i, all) {
        return all.indexOf(name) === i && !SKIP[name] && !same(entry.body[name], server[name]);
      });
      if (!names.length) {
        box.appendChild(el("p", "help", strings.no_difference));
        return;
      }
      names.forEach(function (name) {
        var row = el("div", "compare-row");
        row.appendChild(el("p", "compare-field", (entry.labels && entry.labels[name]) || name));
        var mine = el("p", "compare-value compare-mine");
        mine.appendChild(el("span", "compare-label", strings.yours + ": "));
        mine.appendChild(document.createTextNode(shown(texts, name, entry.body[name])));
        var theirs = el("p", "compare-value compare-server");
        theirs.appendChild(el("span", "compare-label", strings.server + ": "));
        theirs.appendChild(document.createTextNode(shown(texts, name, server[name])));
        row.appendChild(mine);
        row.appendChild(theirs);
        box.appendChild(row);
      });
    });
  }

  function item(entry) {
    var li = el("li", "outbox-item outbox-item-" + entry.state);
    li.setAttribute("data-outbox-entry", entry.uuid);
    li.setAttribute("data-state", entry.state);
    var head = el("div", "outbox-item-head");
    head.appendChild(el("span", "outbox-state outbox-state-" + entry.state, strings["state_" + entry.state] || entry.state));
    var summary = entry.summary || {};
    var kindName = strings["kind_" + entry.kind] || entry.kind;
    var title = summary.title && summary.title !== kindName ? kindName + ": " + summary.title : kindName;
    head.appendChild(el("h3", "outbox-title", title));
    li.appendChild(head);
    var meta = [summary.date, summary.community, entry.body.status === "submitted" ? strings.as_submitted : strings.as_draft]
      .filter(Boolean).join(" · ");
    li.appendChild(el("p", "outbox-meta", meta));
    li.appendChild(el("p", "outbox-meta", fill(strings.saved_at, { when: when(entry.saved_at) })));

    if (entry.state === "waiting" || entry.state === "sending") {
      li.appendChild(el("p", "help", strings.kept));
      if (entry.attempts) {
        li.appendChild(el("p", "help", fill(strings.tried, { num: entry.attempts, when: when(entry.next_try) })));
      }
    } else if (entry.state === "arrived") {
      li.appendChild(el("p", "help", strings.arrived_note));
      if (entry.answer && entry.answer.url) {
        var open = el("a", "btn btn-secondary", strings.open_entry);
        open.href = entry.answer.url;
        var actions = el("div", "actions");
        actions.appendChild(open);
        li.appendChild(actions);
      }
    } else if (entry.state === "refused") {
      li.appendChild(errorList(entry));
      var fix = el("a", "btn btn-primary", strings.open_fix);
      fix.href = fixUrl(entry);
      var row = el("div", "actions");
      row.appendChild(fix);
      row.appendChild(button(strings.discard, "btn-danger", function () { discard(entry); }));
      li.appendChild(row);
    } else if (entry.state === "conflict") {
      li.appendChild(el("p", null, strings.conflict_intro));
      var box = el("div", "outbox-compare");
      li.appendChild(box);
      compare(entry, box);
      var choose = el("div", "actions");
      choose.appendChild(button(strings.keep_mine, "btn-primary", function () { keepMine(entry); }));
      choose.appendChild(button(strings.take_server, "btn-secondary", function () { takeServer(entry); }));
      li.appendChild(choose);
    }
    return li;
  }

  /* -- The list ------------------------------------------------------------------------------------ */

  var drawing = null;
  var drawn = null;

  function render() {
    if (drawing) return drawing;
    drawing = outbox.list(user).then(function (entries) {
      // Drawn again only when something shown changed: a redraw under a finger loses the tap.
      var signature = JSON.stringify(entries);
      if (signature === drawn) return;
      drawn = signature;
      list.textContent = "";
      entries.forEach(function (entry) { list.appendChild(item(entry)); });
      empty.hidden = entries.length > 0;
    }).catch(function () {
      storage.textContent = strings.no_storage;
    }).then(function () {
      drawing = null;
    });
    return drawing;
  }

  var again = null;
  outbox.onChange(function () {
    clearTimeout(again);
    again = setTimeout(render, 50);
  });

  function syncNow() {
    var sync = root.querySelector("[data-sync-now]");
    sync.setAttribute("aria-busy", "true");
    return outbox.sync(user, { force: true }).then(function (summary) {
      showConnection(summary.signedOut);
      if (summary.signedOut) say(strings.signed_out, "error");
      else if (summary.offline || summary.waiting) say(navigator.onLine === false ? strings.offline : strings.sync_failed, "error");
      else say(strings.synced, "success");
      return render();
    }).then(function () {
      sync.removeAttribute("aria-busy");
    });
  }

  function saveCopy() {
    outbox.copyFile(user, username).then(function (file) {
      var blob = new Blob([JSON.stringify(file, null, 2)], { type: "application/json" });
      var link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = "yntymak-outbox-" + username + "-" + file.saved_at.slice(0, 10) + ".json";
      document.body.appendChild(link);
      link.click();
      setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
    });
  }

  root.querySelector("[data-sync-now]").addEventListener("click", syncNow);
  root.querySelector("[data-save-copy]").addEventListener("click", saveCopy);
  window.addEventListener("online", function () {
    showConnection(false);
    outbox.sync(user).then(function (summary) { showConnection(summary.signedOut); });
  });
  window.addEventListener("offline", function () { showConnection(false); });

  showStorage();
  showConnection(false);
  outbox.clearArrived(user, outbox.ARRIVED_KEPT).then(render, render);
  // offline-app.js sends what is due; say so when the session has ended
  if (navigator.onLine !== false) {
    outbox.pending(user).then(function (entries) {
      if (!entries.length) return;
      return outbox.sync(user).then(function (summary) { showConnection(summary.signedOut); });
    }).catch(function () {});
  }
})();
