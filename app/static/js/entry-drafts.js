/* What a volunteer types into an entry form is kept on this device (localStorage) until it is
   saved, and offered back ("Restore what you typed?") when the form is opened again; leaving the
   page or pressing Cancel asks first when something was typed. Progressive enhancement only.

   Keys: <scope>:<id>, where the form says the scope ("yntymak-draft:<user>:<kind>:new" or
   "...:<kind>:<record uuid>") and the id (the new form's record_uuid, or "v<version>" of the
   record being edited). A new entry's UUID is the record's once stored, so the record's detail
   page (data-saved-record) removes what was kept for it; kept text older than 14 days is dropped. */
(function () {
  "use strict";

  var PREFIX = "yntymak-draft:";
  var MAX_AGE = 14 * 24 * 60 * 60 * 1000;
  var SKIP = { csrf_token: true, version: true };

  function each(list, fn) {
    Array.prototype.forEach.call(list, fn);
  }

  var store = (function () {
    try {
      var s = window.localStorage;
      s.setItem(PREFIX + "test", "1");
      s.removeItem(PREFIX + "test");
      return s;
    } catch (e) {
      return null;
    }
  })();

  function keysStartingWith(prefix) {
    var keys = [];
    if (!store) return keys;
    for (var i = 0; i < store.length; i++) {
      var key = store.key(i);
      if (key && key.indexOf(prefix) === 0) keys.push(key);
    }
    return keys;
  }

  function read(key) {
    try {
      var value = JSON.parse(store.getItem(key));
      return value && value.fields ? value : null;
    } catch (e) {
      return null;
    }
  }

  function write(key, value) {
    if (!store) return;
    try {
      store.setItem(key, JSON.stringify(value));
    } catch (e) {
      /* storage full or refused: the form still works */
    }
  }

  function drop(key) {
    if (store) store.removeItem(key);
  }

  /* Forget kept text that is too old to matter. */
  keysStartingWith(PREFIX).forEach(function (key) {
    var kept = read(key);
    if (!kept || !kept.savedAt || Date.now() - kept.savedAt > MAX_AGE) drop(key);
  });

  /* -- A record's detail page: what was kept for it is stored now ------------------------------ */

  each(document.querySelectorAll("script[data-saved-record]"), function (script) {
    var scope = script.getAttribute("data-saved-scope");
    var record = script.getAttribute("data-saved-record");
    var version = parseInt(script.getAttribute("data-saved-version"), 10);
    drop(scope + ":new:" + record);
    var editPrefix = scope + ":" + record + ":v";
    keysStartingWith(editPrefix).forEach(function (key) {
      if (parseInt(key.slice(editPrefix.length), 10) < version) drop(key);
    });
  });

  /* -- The form ---------------------------------------------------------------------------------- */

  var form = document.querySelector("form[data-draft-scope]");
  if (!form) return;
  var scope = form.getAttribute("data-draft-scope");
  var key = scope + ":" + form.getAttribute("data-draft-id");
  var isNew = /:new$/.test(scope);

  function kept(control) {
    return control.name && !SKIP[control.name] && control.type !== "submit" && control.type !== "button";
  }

  function snapshot() {
    var names = {};
    var fields = [];
    each(form.elements, function (control) {
      if (!kept(control)) return;
      names[control.name] = true;
      if (control.type === "checkbox" || control.type === "radio") {
        if (control.checked) fields.push([control.name, control.value]);
      } else {
        fields.push([control.name, control.value]);
      }
    });
    return { names: Object.keys(names), fields: fields };
  }

  function restore(draft) {
    var values = {};
    draft.fields.forEach(function (pair) {
      (values[pair[0]] = values[pair[0]] || []).push(pair[1]);
    });
    each(form.elements, function (control) {
      if (!kept(control) || draft.names.indexOf(control.name) < 0) return;
      var list = values[control.name] || [];
      if (control.type === "checkbox" || control.type === "radio") {
        control.checked = list.indexOf(control.value) >= 0;
      } else {
        control.value = list.length ? list.shift() : "";
      }
    });
    form.dispatchEvent(new CustomEvent("entry-form:restored", { bubbles: true }));
  }

  var initial = JSON.stringify(snapshot().fields);
  // A form the server sent back (an error) holds typed text that is not saved yet.
  var unsaved = form.hasAttribute("data-draft-unsaved");
  var dirty = unsaved;
  var leaving = false;

  function remember() {
    var now = snapshot();
    dirty = unsaved || JSON.stringify(now.fields) !== initial;
    if (dirty) {
      write(key, { savedAt: Date.now(), names: now.names, fields: now.fields });
    } else {
      drop(key);
    }
  }

  form.addEventListener("input", remember);
  form.addEventListener("change", remember);
  form.addEventListener("submit", function () {
    // kept until the saved record's page says it is stored (a failed send loses nothing)
    remember();
    leaving = true;
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) leaving = false;
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty && !leaving) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  each(document.querySelectorAll("[data-confirm-leave]"), function (link) {
    link.addEventListener("click", function (event) {
      if (!dirty) return;
      if (!window.confirm(link.getAttribute("data-confirm-leave"))) {
        event.preventDefault();
        return;
      }
      drop(key);
      leaving = true;
    });
  });

  /* -- Offer back what was kept -------------------------------------------------------------------- */

  if (unsaved) {
    remember();
    return;
  }
  var candidates = [];
  if (isNew) {
    keysStartingWith(scope + ":").forEach(function (other) {
      var draft = other !== key && read(other);
      if (draft) candidates.push({ key: other, draft: draft });
    });
  } else {
    keysStartingWith(scope + ":v").forEach(function (other) {
      if (other !== key) drop(other); // kept for a version that has changed since
    });
    var same = read(key);
    if (same) candidates.push({ key: key, draft: same });
  }
  if (!candidates.length) return;
  candidates.sort(function (a, b) { return b.draft.savedAt - a.draft.savedAt; });
  var offer = candidates[0];
  var panel = document.querySelector("[data-draft-offer]");
  if (!panel) return;
  var time = panel.querySelector("[data-draft-time]");
  if (time) {
    var when = new Date(offer.draft.savedAt);
    time.setAttribute("datetime", when.toISOString());
    try {
      time.textContent = when.toLocaleString(document.documentElement.lang || undefined, {
        dateStyle: "medium",
        timeStyle: "short",
      });
    } catch (e) {
      time.textContent = when.toLocaleString();
    }
  }
  panel.hidden = false;
  panel.querySelector("[data-draft-restore]").addEventListener("click", function () {
    if (offer.key !== key) drop(key);
    key = offer.key; // a new form takes back the UUID it had, so a resend is still caught
    restore(offer.draft);
    unsaved = true;
    remember();
    panel.hidden = true;
    form.querySelector("input:not([type=hidden]), select, textarea").focus();
  });
  panel.querySelector("[data-draft-discard]").addEventListener("click", function () {
    drop(offer.key);
    panel.hidden = true;
  });
})();
