// The intake form in this browser: a draft kept until the signal is saved (a lost connection or a closed tab
// loses nothing), and with no connection a queue on this device (wachtrij.js) instead of the browser's error page:
// "Bewaard op dit toestel", the Wachtrij view (edit, delete, Nakijken), "Wis dit toestel".
// Without JavaScript the form works the same, just without the draft and the queue.
(function () {
  "use strict";
  var PREFIX = "signaalwerk:concept:";
  var W = window.SignaalwerkWachtrij;
  var SAVED_HERE = "Bewaard op dit toestel — wordt verstuurd zodra je weer verbinding hebt.";

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  var store = storage();

  var done = document.querySelector("[data-clear-draft]");
  if (done) {
    if (store) { store.removeItem(PREFIX + done.getAttribute("data-clear-draft")); }
    return;
  }

  var form = document.querySelector("form[data-draft]");
  if (!form || !form.getAttribute("data-draft")) { return; }
  var key = PREFIX + form.getAttribute("data-draft");
  // The gemeente is not kept: a hidden single-gemeente field must always come from the server.
  var names = ["titel", "omschrijving", "datum", "plek", "bron", "levensdomein", "signaaltype",
               "aantal_jongeren", "leeftijd", "citaten"];

  function field(name) { return form.elements.namedItem(name); }

  function localToday() {
    var now = new Date();
    return new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
  }

  function save() {
    if (!store) { return; }
    var draft = {};
    names.forEach(function (name) {
      var el = field(name);
      if (el && "value" in el) { draft[name] = el.value; }
    });
    draft.bewaard = new Date().toISOString();
    try { store.setItem(key, JSON.stringify(draft)); } catch (e) { /* storage full: the form still works */ }
  }

  function openDetailsOf(el) {
    // A restored detail must be seen: open the folded "Meer details" that holds it.
    var folded = el.closest && el.closest("details");
    if (folded && el.value) { folded.open = true; }
  }

  function restore() {
    var raw = store && store.getItem(key);
    if (!raw) { return; }
    var draft;
    try { draft = JSON.parse(raw); } catch (e) { store.removeItem(key); return; }
    var titel = field("titel"), omschrijving = field("omschrijving");
    // Only fill an empty form: text the server sent back (e.g. after a validation error) wins.
    if ((titel && titel.value) || (omschrijving && omschrijving.value)) { return; }
    var restored = false;
    names.forEach(function (name) {
      var el = field(name);
      if (el && "value" in el && typeof draft[name] === "string" && draft[name] !== "") {
        el.value = draft[name];
        restored = true;
        if (el.value === draft[name]) { openDetailsOf(el); }
      }
    });
    var note = document.getElementById("draft-note");
    if (restored && note) { note.hidden = false; }
  }

  var offlinePage = window.location.pathname === "/offline/nieuw";
  var datum = field("datum");
  // The kept offline page was made on another day: today is today on this phone.
  if (offlinePage && datum) { datum.value = localToday(); datum.max = localToday(); }

  restore();
  form.addEventListener("input", save);
  form.addEventListener("change", save);

  var clientId = field("client_id");
  if (!W || !clientId || !form.hasAttribute("data-intake")) { return; }
  // The kept page carries one id for everyone who opens it: each signal gets its own.
  if (offlinePage) { clientId.value = W.newId(); }

  var note = document.getElementById("wachtrij-melding");
  var section = document.getElementById("wachtrij");
  var list = document.getElementById("wachtrij-lijst");
  var loginNote = document.getElementById("wachtrij-aanmelden");
  var wipe = document.getElementById("wis-toestel");

  function say(text) {
    if (!note) { return; }
    note.textContent = text;
    note.focus();
  }

  function values() {
    var velden = {};
    W.fields.forEach(function (name) {
      var el = field(name);
      if (el && "value" in el) { velden[name] = el.value; }
    });
    return velden;
  }

  function clearForm() {
    names.forEach(function (name) {
      var el = field(name);
      if (el && "value" in el) { el.value = ""; }
    });
    if (datum) { datum.value = localToday(); }
    var confirmBox = field("bevestig_persoonsgegevens");
    if (confirmBox) { confirmBox.checked = false; }
    clientId.value = W.newId();
    if (store) { store.removeItem(key); }
    var draftNote = document.getElementById("draft-note");
    if (draftNote) { draftNote.hidden = true; }
  }

  function item(status) {
    var confirmBox = field("bevestig_persoonsgegevens");
    return { client_id: clientId.value || W.newId(), velden: values(), aangemaakt: new Date().toISOString(),
             status: status, bevestig: !!(confirmBox && confirmBox.checked) };
  }

  form.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    if (submitter && submitter.name === "vervang") { return; } // a replacement is the server's work, online
    event.preventDefault();
    if (!clientId.value) { clientId.value = W.newId(); }
    if (navigator.onLine === false) {
      W.add(item("wacht")).then(function () {
        clearForm();
        say(SAVED_HERE);
        W.askBackgroundSync();
      });
      return;
    }
    // Online: the normal form post, with the signal kept here until a page shows what became of it. Should the
    // post not come back, the service worker shows the offline intake and the signal waits in the queue.
    W.add(item("verzenden")).then(function () { form.submit(); }, function () { form.submit(); });
  });

  window.addEventListener("signaalwerk:bewaard", function () { say(SAVED_HERE); });

  // ------------------------------------------------------------------ the Wachtrij view
  var KINDS = { wacht: "Wacht op verbinding", verzenden: "Wordt verstuurd", aanmelden: "Wacht: meld je opnieuw aan",
                nakijken: "Nakijken" };

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text != null) { node.textContent = text; }
    return node;
  }

  function when(iso) {
    var date = new Date(iso);
    if (isNaN(date.getTime())) { return ""; }
    return date.toLocaleString("nl-BE", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
  }

  function edit(entry) {
    Object.keys(entry.velden || {}).forEach(function (name) {
      var input = field(name);
      if (input && "value" in input && (name !== "gemeente" || input.tagName === "SELECT")) {
        input.value = entry.velden[name];
        openDetailsOf(input);
      }
    });
    clientId.value = entry.code === 409 ? W.newId() : entry.client_id;
    save();
    W.remove(entry.client_id).then(function () {
      say("Het signaal staat weer in het formulier. Sla het op als je klaar bent.");
      var titel = field("titel");
      if (titel) { titel.focus(); }
    });
  }

  function replaceAll(entry) {
    (entry.bevindingen || []).forEach(function (finding) {
      var name = String(finding.veld || "").split(".")[0];
      if (entry.velden && typeof entry.velden[name] === "string" && finding.tekst) {
        entry.velden[name] = entry.velden[name].split(finding.tekst).join(finding.vervanging || "[weggelaten]");
      }
    });
    return entry;
  }

  function retry(entry) {
    entry.status = "wacht";
    entry.bevindingen = [];
    entry.fouten = {};
    entry.aangemaakt = entry.aangemaakt || new Date().toISOString();
    W.put(entry).then(function () { return W.sync(); }).then(render);
  }

  function row(entry) {
    var li = el("li", { "class": "queue-item queue-" + entry.status, "data-client-id": entry.client_id });
    var head = el("p", { "class": "queue-head" });
    head.appendChild(el("strong", {}, (entry.velden && entry.velden.titel) || "(zonder titel)"));
    head.appendChild(document.createTextNode(" · " + when(entry.aangemaakt) + " · "));
    head.appendChild(el("span", { "class": "queue-state" }, KINDS[entry.status] || KINDS.wacht));
    li.appendChild(head);
    if (entry.status === "nakijken") {
      li.appendChild(el("p", {}, entry.melding || "Kijk dit signaal na."));
      var found = entry.bevindingen || [];
      if (found.length) {
        var ul = el("ul", { "class": "findings" });
        found.forEach(function (f) {
          var itemText = (f.label || f.soort || "Persoonsgegeven") + ": ";
          var li2 = el("li", {}, itemText);
          li2.appendChild(el("mark", {}, f.tekst || ""));
          ul.appendChild(li2);
        });
        li.appendChild(ul);
      }
      Object.keys(entry.fouten || {}).forEach(function (name) {
        if (!found.length) { li.appendChild(el("p", { "class": "error" }, entry.fouten[name])); }
      });
    }
    var actions = el("p", { "class": "actions" });
    if (entry.status === "nakijken" && (entry.bevindingen || []).length) {
      var vervang = el("button", { type: "button", "class": "button button-primary" }, "Vervangen");
      vervang.addEventListener("click", function () { retry(replaceAll(entry)); });
      var toch = el("button", { type: "button", "class": "button" }, "Toch bewaren");
      toch.addEventListener("click", function () { entry.bevestig = true; retry(entry); });
      actions.append(vervang, " ", toch, " ");
    }
    var bewerk = el("button", { type: "button", "class": "button" }, "Bewerken");
    bewerk.addEventListener("click", function () { edit(entry); });
    var weg = el("button", { type: "button", "class": "button" }, "Verwijderen");
    weg.addEventListener("click", function () {
      if (window.confirm("Dit signaal van dit toestel verwijderen? Het is nog niet verstuurd.")) {
        W.remove(entry.client_id).then(function () { say("Verwijderd uit de wachtrij."); });
      }
    });
    actions.append(bewerk, " ", weg);
    li.appendChild(actions);
    return li;
  }

  function render() {
    return W.all().then(function (entries) {
      list.textContent = "";
      entries.forEach(function (entry) { list.appendChild(row(entry)); });
      section.hidden = entries.length === 0;
      if (loginNote) {
        loginNote.hidden = !entries.some(function (e) { return e.status === "aanmelden"; });
      }
    });
  }

  if (wipe) {
    wipe.addEventListener("click", function () {
      if (!window.confirm("Alle signalen in de wachtrij en je concepten op dit toestel wissen? " +
                          "Wat nog niet verstuurd is, gaat verloren.")) { return; }
      W.clearMine().then(function () { clearForm(); say("Dit toestel is gewist."); });
    });
  }

  W.onChange(render);
  render();
})();
