/* An entry form saved through the outbox, so that nothing typed without a connection is lost.

   - A new-entry form gets a fresh UUID each time it is opened (the page may come from the
     tablet's cache, which holds one form for every opening); a form the server sent back after a
     POST keeps the UUID it was sent with. Loaded before entry-drafts.js, which keys what it keeps
     on that UUID.
   - Saving puts the entry in the outbox (IndexedDB) and sends it at once: the server has it ->
     its page, with the message the server shows; no connection -> the outbox, where it waits;
     refused -> the server's messages beside the fields here, as the server's own page shows them.
   - /<kind>/new?outbox=<uuid> (or the edit page with it) opens an entry of the outbox, with the
     server's messages; saving it updates the same entry (same UUID) and sends it again.
   A coordinator's correction form (it asks for a reason) stays a normal POST. */
(function () {
  "use strict";

  var form = document.querySelector("form.entry-form[data-outbox-kind]");
  var outbox = window.YntymakOutbox;
  var user = document.body.getAttribute("data-user");
  if (!form || !outbox || !user || form.querySelector("[name=reason]")) return;

  var NOT_DATA = { csrf_token: true, save_draft: true, submit: true, record_uuid: true, version: true };
  var UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
  var strings = {};
  try {
    strings = JSON.parse(document.getElementById("offline-strings").textContent);
  } catch (e) { /* wording missing */ }

  var kind = form.getAttribute("data-outbox-kind");
  var recordUuid = form.getAttribute("data-record-uuid");
  var uuidField = form.querySelector("[name=record_uuid]");
  var versionField = form.querySelector("[name=version]");
  var outboxUrl = document.body.getAttribute("data-outbox-url") || "/outbox";
  var fromOutbox = new URLSearchParams(window.location.search).get("outbox");
  if (fromOutbox && !UUID.test(fromOutbox)) fromOutbox = null;
  var opened = null; // the outbox entry this form was opened from

  function each(list, fn) {
    Array.prototype.forEach.call(list, fn);
  }

  /* -- The form's UUID ------------------------------------------------------------------------- */

  if (!recordUuid && uuidField) {
    var id = fromOutbox || (form.hasAttribute("data-draft-unsaved") ? null : outbox.newUuid());
    if (id) {
      uuidField.value = id;
      form.setAttribute("data-draft-id", id);
    }
  }
  if (!outbox.available()) return; // no IndexedDB: the form posts as it always did

  /* -- The form as the API's body ---------------------------------------------------------------- */

  function dataControls() {
    var controls = [];
    each(form.elements, function (control) {
      if (!control.name || NOT_DATA[control.name] || control.disabled) return;
      if (/^(submit|button|reset|file)$/.test(control.type)) return;
      controls.push(control);
    });
    return controls;
  }

  function serialise() {
    var controls = dataControls();
    var lists = {};
    controls.forEach(function (c) { if (c.type === "checkbox") lists[c.name] = true; });
    var body = {};
    controls.forEach(function (c) {
      if (lists[c.name]) {
        body[c.name] = body[c.name] || [];
        if (c.checked) body[c.name].push(c.value);
      } else if (c.type === "radio") {
        if (c.checked) body[c.name] = c.value;
      } else {
        body[c.name] = c.value;
      }
    });
    return body;
  }

  function text(node) {
    if (!node) return "";
    var copy = node.cloneNode(true);
    each(copy.querySelectorAll(".req, .visually-hidden, .chosen-count"), function (n) { n.remove(); });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  /* The words a person reads for a field: its label, or its group's legend (a concern's rating
     is named with the concern). */
  function labelOf(control) {
    var group = control.closest("fieldset.choice-group");
    if (group && (control.type === "checkbox" || control.type === "radio")) {
      var name = text(group.querySelector("legend"));
      var row = group.parentNode && group.parentNode.closest("[data-driver-row]");
      return row ? text(row.querySelector("legend")) + " — " + name : name;
    }
    return text(control.id ? form.querySelector('label[for="' + control.id + '"]') : null) || control.name;
  }

  function labels() {
    var names = {};
    dataControls().forEach(function (c) {
      if (!names[c.name]) names[c.name] = labelOf(c);
    });
    return names;
  }

  function chosenText(name) {
    var select = form.querySelector('select[name="' + name + '"]');
    return select && select.selectedIndex >= 0 && select.value ? select.options[select.selectedIndex].text.trim() : "";
  }

  function collect(status) {
    var body = serialise();
    body.status = status;
    var edit = Boolean(recordUuid) || Boolean(opened && opened.edit);
    if (edit) {
      var base = opened && opened.body.base_version != null ? opened.body.base_version
        : parseInt(versionField ? versionField.value : "", 10);
      if (!isNaN(base)) body.base_version = base;
    }
    return {
      uuid: recordUuid || (opened && opened.uuid) || uuidField.value,
      user: user,
      kind: kind,
      body: body,
      edit: edit,
      labels: labels(),
      summary: {
        title: chosenText("activity_type_code") || chosenText("category_code") || form.getAttribute("data-kind-label"),
        community: chosenText("community"),
        date: body.date || "",
      },
    };
  }

  /* -- Messages beside the fields, as app/templates/_macros.html writes them ---------------------- */

  function clearErrors() {
    each(document.querySelectorAll(".error-summary"), function (n) { n.remove(); });
    each(form.querySelectorAll(".field-error"), function (n) { n.remove(); });
    each(form.querySelectorAll(".has-error"), function (n) { n.classList.remove("has-error"); });
    each(form.querySelectorAll("[aria-invalid]"), function (n) { n.removeAttribute("aria-invalid"); });
    each(form.querySelectorAll("[aria-describedby]"), function (n) {
      var ids = n.getAttribute("aria-describedby").split(/\s+/).filter(function (id) { return !/-error$/.test(id); });
      if (ids.length) n.setAttribute("aria-describedby", ids.join(" "));
      else n.removeAttribute("aria-describedby");
    });
  }

  function errorParagraph(id, messages) {
    var p = document.createElement("p");
    p.className = "field-error";
    p.id = id + "-error";
    var hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = (strings.error_prefix || "Error:") + " ";
    p.appendChild(hidden);
    p.appendChild(document.createTextNode(messages.join(" ")));
    return p;
  }

  function describe(node, id) {
    var ids = (node.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    ids.push(id + "-error");
    node.setAttribute("aria-describedby", ids.join(" "));
  }

  function openFolds(node) {
    for (var fold = node.closest("details"); fold; fold = fold.parentNode.closest("details")) {
      fold.open = true;
      fold.classList.add("has-error");
    }
  }

  /* One field's messages; returns [id, label] for the summary, or null when no such field. */
  function placeError(name, messages) {
    var controls = form.querySelectorAll('[name="' + (window.CSS && CSS.escape ? CSS.escape(name) : name) + '"]');
    if (!controls.length) return null;
    var first = controls[0];
    var group = (first.type === "checkbox" || first.type === "radio") ? first.closest("fieldset.choice-group") : null;
    if (group) {
      group.classList.add("has-error");
      var options = group.querySelector(".options");
      group.insertBefore(errorParagraph(group.id, messages), options);
      describe(group, group.id);
      var row = group.parentNode && group.parentNode.closest("[data-driver-row]");
      if (row) row.classList.add("has-error");
      openFolds(group);
      return [group.id, labelOf(first)];
    }
    var field = first.closest(".field") || first.parentNode;
    field.classList.add("has-error");
    var p = errorParagraph(first.id, messages);
    if (first.parentNode === field) field.insertBefore(p, first);
    else field.appendChild(p);
    first.setAttribute("aria-invalid", "true");
    describe(first, first.id);
    openFolds(field);
    return [first.id, labelOf(first)];
  }

  function showErrors(errors, message) {
    clearErrors();
    errors = errors || {};
    var links = [];
    var general = [];
    Object.keys(errors).forEach(function (name) {
      if (name === "_form") return;
      var placed = placeError(name, errors[name]);
      if (placed) links.push(placed);
      else general = general.concat(errors[name]);
    });
    general = general.concat(errors._form || []);
    if (message && general.indexOf(message) < 0 && !links.length) general.push(message);
    // "Rate at least one concern" belongs beside the concerns, as the server's page puts it
    var concerns = form.querySelector("[data-concerns]");
    var rateOne = concerns && concerns.getAttribute("data-ratings-message");
    if (rateOne && general.indexOf(rateOne) >= 0) {
      concerns.classList.add("has-error");
      var help = concerns.querySelector("#concerns-help");
      var p = errorParagraph("concerns", [rateOne]);
      if (help && help.nextSibling) concerns.insertBefore(p, help.nextSibling);
      else concerns.appendChild(p);
    }
    var summary = document.createElement("div");
    summary.className = "error-summary";
    summary.setAttribute("role", "alert");
    summary.tabIndex = -1;
    var heading = document.createElement("h2");
    heading.textContent = strings.error_summary || "";
    summary.appendChild(heading);
    var list = document.createElement("ul");
    links.forEach(function (link) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = "#" + link[0];
      a.textContent = link[1];
      li.appendChild(a);
      list.appendChild(li);
    });
    general.forEach(function (text_) {
      var li = document.createElement("li");
      li.textContent = text_;
      list.appendChild(li);
    });
    summary.appendChild(list);
    var before = document.querySelector("[data-draft-offer]") || form;
    before.parentNode.insertBefore(summary, before);
    summary.focus();
  }

  /* -- Basic rules checked on the device, when the server cannot be asked ------------------------ */

  /* What the browser knows from the page (required, whole numbers in count boxes, the date's
     range) and "rate at least one concern"; the server checks everything again on arrival. */
  function basicErrors() {
    var errors = {};
    dataControls().forEach(function (c) {
      if (errors[c.name] || !c.willValidate || c.validity.valid) return;
      var v = c.validity;
      var help = c.id ? document.getElementById(c.id + "-help") : null;
      var message = v.valueMissing ? strings.required
        : v.patternMismatch || v.badInput ? strings.whole_number
        : (help && help.textContent.trim()) || strings.check_value;
      errors[c.name] = [message];
    });
    var concerns = form.querySelector("[data-concerns]");
    if (concerns) {
      var rated = Array.prototype.some.call(concerns.querySelectorAll(".rating-choices input:checked"), function (input) {
        return /^[0-3]$/.test(input.value);
      });
      if (!rated) errors._form = [concerns.getAttribute("data-ratings-message")];
    }
    return errors;
  }

  /* -- Filling the form from the outbox ------------------------------------------------------------ */

  function fill(body) {
    dataControls().forEach(function (c) {
      var value = body[c.name];
      if (c.type === "checkbox") {
        c.checked = Array.isArray(value) && value.indexOf(c.value) >= 0;
      } else if (c.type === "radio") {
        c.checked = value != null && String(value) === c.value;
      } else {
        c.value = value == null ? "" : String(value);
      }
    });
    form.dispatchEvent(new CustomEvent("entry-form:restored", { bubbles: true }));
  }

  if (fromOutbox) {
    outbox.get(fromOutbox).then(function (entry) {
      if (!entry || entry.user !== user || entry.kind !== kind) return;
      opened = entry;
      fill(entry.body);
      if (entry.errors || entry.error) showErrors(entry.errors, entry.error);
    }).catch(function () {});
  }

  /* -- Saving ---------------------------------------------------------------------------------------- */

  function leaveMessage(text_, category) {
    try {
      window.sessionStorage.setItem("yntymak-flash", JSON.stringify({ text: text_, category: category }));
    } catch (e) { /* the next page simply says nothing */ }
  }

  function dropKept() {
    // what entry-drafts.js kept of this form: the outbox holds it now
    var scope = form.getAttribute("data-draft-scope");
    var id = /:new$/.test(scope) ? uuidField.value : form.getAttribute("data-draft-id");
    try { window.localStorage.removeItem(scope + ":" + id); } catch (e) { /* nothing kept */ }
  }

  var lastButton = null;
  var busy = false;
  var bypass = false;

  form.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[type=submit]");
    if (button) lastButton = button;
  });
  window.addEventListener("pageshow", function () { busy = false; });

  function handle(result, status) {
    var entry = result.entry;
    if (result.outcome === "arrived") {
      leaveMessage(status === "submitted" ? strings.saved_submitted : strings.saved_draft, "success");
      window.location.assign(result.data.url);
      return;
    }
    if (result.outcome === "refused") {
      busy = false;
      showErrors(entry.errors, entry.error || strings.refused);
      return;
    }
    if (result.outcome === "conflict") {
      leaveMessage(entry.error, "error");
    } else {
      dropKept();
      leaveMessage(result.outcome === "signed-out" ? strings.signed_out : strings.kept, "info");
    }
    window.location.assign(outboxUrl + "?saved=" + encodeURIComponent(entry ? entry.uuid : ""));
  }

  form.addEventListener("submit", function (event) {
    if (bypass) return;
    event.preventDefault();
    if (busy) return;
    busy = true;
    var button = event.submitter || lastButton;
    var status = button && button.name === "save_draft" ? "draft" : "submitted";
    if (navigator.onLine === false) {
      var errors = basicErrors();
      if (Object.keys(errors).length) {
        busy = false;
        showErrors(errors);
        return;
      }
    }
    var entry = collect(status);
    outbox.save(entry).then(function (saved) {
      if (navigator.onLine === false) return { outcome: "waiting", entry: saved };
      return outbox.sync(user, { only: saved.uuid }).then(function (summary) {
        return summary.results[0] || { outcome: summary.signedOut ? "signed-out" : "waiting", entry: saved };
      });
    }).then(function (result) {
      handle(result, status);
    }, function () {
      // the device could not keep it: post the page as without this script
      bypass = true;
      busy = false;
      if (form.requestSubmit) form.requestSubmit(button && button.form === form ? button : undefined);
      else form.submit();
    });
  });
})();
