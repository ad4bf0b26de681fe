// Keeps a draft of the intake form in this browser until it is saved: a lost connection or a closed tab
// loses nothing. Without JavaScript the form works the same, just without the draft.
(function () {
  "use strict";
  var PREFIX = "signaalwerk:concept:";

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  var store = storage();
  if (!store) { return; }

  var done = document.querySelector("[data-clear-draft]");
  if (done) {
    store.removeItem(PREFIX + done.getAttribute("data-clear-draft"));
    return;
  }

  var form = document.querySelector("form[data-draft]");
  if (!form || !form.getAttribute("data-draft")) { return; }
  var key = PREFIX + form.getAttribute("data-draft");
  // The gemeente is not kept: a hidden single-gemeente field must always come from the server.
  var names = ["titel", "omschrijving", "datum", "plek", "bron", "levensdomein", "signaaltype",
               "aantal_jongeren", "leeftijd", "citaten"];

  function field(name) { return form.elements.namedItem(name); }

  function save() {
    var draft = {};
    names.forEach(function (name) {
      var el = field(name);
      if (el && "value" in el) { draft[name] = el.value; }
    });
    draft.bewaard = new Date().toISOString();
    try { store.setItem(key, JSON.stringify(draft)); } catch (e) { /* storage full: the form still works */ }
  }

  function restore() {
    var raw = store.getItem(key);
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
        // A restored detail must be seen: open the folded "Meer details" that holds it.
        var folded = el.closest && el.closest("details");
        if (folded && el.value === draft[name]) { folded.open = true; }
      }
    });
    var note = document.getElementById("draft-note");
    if (restored && note) { note.hidden = false; }
  }

  restore();
  form.addEventListener("input", save);
  form.addEventListener("change", save);
})();
