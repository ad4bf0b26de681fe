// Autosave of the notes of an agenda point while the meeting runs. The form works the same without JavaScript
// (the "Notities bewaren" button). No typed word is lost:
// - pending edits are saved before anything else happens: on leaving a field, before another form on the page is
//   sent ("Functies bewaren", attendance, an action), before a link is followed, and when the page is hidden or
//   left (fetch with keepalive); the browser warns before leaving while text is not saved;
// - every field says "Bewaard" or "Niet bewaard" (aria-live polite);
// - each save sends the version it is based on; when someone else saved in the meantime the server answers 409
//   with their text, shown side by side with ours: the user keeps theirs, ours, or merges, and saves on the new
//   version. Nothing is overwritten silently, and autosave pauses until the user chose;
// - when the privacy guard refuses the text (422 with `persoonsgegevens`), its message and the confirmation box
//   are shown and autosave waits until the text changes or the box is checked.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.URLSearchParams || !window.FormData || !window.Promise) { return; }

  var DELAY = 1500;
  var KEEPALIVE_LIMIT = 60000; // bytes a keepalive request may carry (the browser allows 64 KiB in flight)
  var FIELDS = ["notities", "besluit"];
  var status = form.querySelector(".autosave-status");
  var conflictBox = form.querySelector(".autosave-conflict");
  var versie = form.elements.namedItem("versie");
  var privacyBox = form.querySelector(".autosave-privacy");
  var privacyText = privacyBox && privacyBox.querySelector(".autosave-privacy-tekst");
  var confirmBox = form.elements.namedItem("bevestig");
  var timer = null, inflight = null, stopped = false, refused = null, warnedOnce = false;
  var saved = {};  // per field: the text the server holds (as far as this page knows)
  var touched = {};  // fields whose state was shown once

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)sw_csrftoken=([^;]*)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function say(text) { if (status) { status.textContent = text; } }
  function field(name) { return form.elements.namedItem(name); }
  function value(name) { var el = field(name); return el ? el.value : ""; }
  function key() { return FIELDS.map(value).join("\u0000"); }  // what must reach the server
  function body() { return new URLSearchParams(new FormData(form)).toString(); }

  function showFieldStates() {
    FIELDS.forEach(function (name) {
      var el = form.querySelector('.veld-status[data-veld="' + name + '"]');
      if (!el || (!touched[name] && value(name) === saved[name])) { return; }  // untouched: nothing to say
      touched[name] = true;
      var state = value(name) === saved[name] ? "bewaard" : "niet-bewaard";
      if (el.getAttribute("data-state") !== state) {  // only a change is announced
        el.setAttribute("data-state", state);
        el.textContent = state === "bewaard" ? "Bewaard" : "Niet bewaard";
      }
    });
  }

  function pending() { return timer !== null || inflight !== null || FIELDS.some(function (n) {
    return value(n) !== saved[n]; }); }

  // ------------------------------------------------------------------------- conflicts: both versions side by side

  function column(title, text, theirs) {
    var box = document.createElement("div");
    var heading = document.createElement("h4");
    heading.textContent = title;
    var pre = document.createElement("pre");
    pre.className = "prewrap" + (theirs ? " bewaard" : " jouw");
    pre.textContent = text || "";
    box.appendChild(heading);
    box.appendChild(pre);
    return box;
  }

  function button(text, action) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "button";
    b.textContent = text;
    b.addEventListener("click", action);
    return b;
  }

  function resolved(huidig) {
    versie.value = String(huidig.versie);
    stopped = false;
    conflictBox.hidden = true;
    conflictBox.textContent = "";
  }

  function showConflict(data) {
    stopped = true;
    var huidig = data.huidig || {};
    var jouw = data.jouw || {};
    conflictBox.textContent = "";
    var intro = document.createElement("p");
    intro.innerHTML = "";
    var strong = document.createElement("strong");
    strong.textContent = data.detail || "Iemand anders wijzigde dit punt.";
    intro.appendChild(strong);
    intro.appendChild(document.createTextNode(" Niets is overschreven: jouw tekst staat links en nog in de velden, " +
      "wat nu bewaard is rechts. Kies een versie, of voeg ze samen in de velden en bewaar dan je versie."));
    conflictBox.appendChild(intro);
    [["notities", "Notities"], ["besluit", "Besluit"]].forEach(function (pair) {
      var row = document.createElement("div");
      row.className = "conflict-naast";
      row.setAttribute("data-veld", pair[0]);
      row.appendChild(column(pair[1] + ": jouw versie", jouw[pair[0]] !== undefined ? jouw[pair[0]] : value(pair[0]),
                             false));
      row.appendChild(column(pair[1] + ": versie van de ander (bewaard)", huidig[pair[0]], true));
      conflictBox.appendChild(row);
    });
    var actions = document.createElement("div");
    actions.className = "actions";
    actions.appendChild(button("Mijn versie bewaren", function () {
      resolved(huidig);
      flush(false, true);
    }));
    actions.appendChild(button("Hun versie overnemen", function () {
      FIELDS.forEach(function (name) { field(name).value = huidig[name] || ""; saved[name] = huidig[name] || ""; });
      resolved(huidig);
      showFieldStates();
      say("Hun versie overgenomen.");
    }));
    actions.appendChild(button("Beide samenvoegen", function () {
      FIELDS.forEach(function (name) {
        var theirs = huidig[name] || "", mine = value(name);
        if (theirs && mine.indexOf(theirs) === -1) { field(name).value = mine ? theirs + "\n\n" + mine : theirs; }
        saved[name] = theirs;
      });
      resolved(huidig);
      showFieldStates();
      say("Beide versies staan nu in de velden. Kijk ze na en pas aan; ze worden bewaard.");
      field("notities").focus();
      schedule();
    }));
    conflictBox.appendChild(actions);
    conflictBox.hidden = false;
    showFieldStates();
    say("Niet bewaard: iemand anders wijzigde dit punt. Vergelijk beide versies.");
  }

  // ------------------------------------------------------------------------- the privacy guard's refusal

  function messages(data) {
    var fields = (data && data.fields) || {};
    var parts = Object.keys(fields).map(function (name) { return fields[name]; });
    return parts.length ? parts.join(" ") : ((data && data.detail) || "Niet bewaard.");
  }

  function showPrivacy(data, keepChecked) {
    // Nothing is stored: the text stays in the fields; saving again needs a change or the confirmation.
    // `keepChecked`: the box was ticked while this refused save was on its way; that tick still counts.
    if (privacyText) { privacyText.textContent = messages(data); }
    if (privacyBox) { privacyBox.hidden = false; }
    if (confirmBox && !keepChecked) { confirmBox.checked = false; }
    say("Niet bewaard: mogelijk persoonsgegevens. Pas de tekst aan, of bevestig dat ze nodig zijn.");
  }

  function hidePrivacy() {
    if (privacyBox) { privacyBox.hidden = true; }
    if (confirmBox) { confirmBox.checked = false; }
  }

  // ------------------------------------------------------------------------- saving

  function send(keepalive) {
    var sent = key();
    var texts = {};
    FIELDS.forEach(function (name) { texts[name] = value(name); });
    var payload = body();
    var confirmedWhenSent = Boolean(confirmBox && confirmBox.checked);
    var init = {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "x-csrf-token": csrfToken(),
        "accept": "application/json",
        "content-type": "application/x-www-form-urlencoded"
      },
      body: payload
    };
    if (keepalive && payload.length < KEEPALIVE_LIMIT) { init.keepalive = true; }
    say("Bewaren…");
    return fetch(form.action, init).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (response.ok) {
          versie.value = String(data.versie);
          FIELDS.forEach(function (name) { saved[name] = texts[name]; });
          refused = null;
          warnedOnce = false;
          hidePrivacy();
          showFieldStates();
          say("Bewaard om " + new Date().toLocaleTimeString("nl-BE", {hour: "2-digit", minute: "2-digit"}) + ".");
          return true;
        }
        if (response.status === 409) {
          showConflict(data);
        } else if (response.status === 422 && data && data.persoonsgegevens) {
          refused = sent;
          showPrivacy(data, !confirmedWhenSent && Boolean(confirmBox && confirmBox.checked));
        } else if (response.status === 422) {
          refused = sent;
          say("Niet bewaard: " + messages(data));
        } else {
          say((data && data.detail) || "Niet bewaard. Gebruik de knop ‘Notities bewaren’.");
        }
        showFieldStates();
        return false;
      });
    }).catch(function () {
      showFieldStates();
      say("Geen verbinding: nog niet bewaard. Je tekst blijft hier staan.");
      return false;
    });
  }

  // Save what is pending now; resolves true when the server holds every typed word, false when it does not
  // (a conflict, a refusal, no connection). A save already on its way is waited for first, then what was typed
  // meanwhile follows on the version it returned.
  function flush(keepalive, force) {
    if (timer) { clearTimeout(timer); timer = null; }
    if (inflight) {
      // Asked again (`force`: the button, the confirmation box) while a save was on its way: ask once more after it.
      return inflight.then(function (ok) { return ok || force ? flush(keepalive, force) : false; });
    }
    if (stopped) { return Promise.resolve(false); }
    var dirty = FIELDS.some(function (n) { return value(n) !== saved[n]; });
    if (!dirty) { return Promise.resolve(true); }
    if (!force && key() === refused) { return Promise.resolve(false); }  // `force`: asked again (button, box)
    inflight = send(keepalive).then(function (ok) { inflight = null; return ok; });
    return inflight;
  }

  function schedule() {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(function () { timer = null; flush(false); }, DELAY);
  }

  function notSaved() {
    // The first attempt to leave is held back so the message is read; a second one goes (the browser still warns).
    warnedOnce = true;
    if (!conflictBox.hidden) { conflictBox.focus(); }
    var first = form.querySelector('.veld-status[data-state="niet-bewaard"]');
    if (first && first.scrollIntoView) { first.scrollIntoView({block: "center"}); }
  }

  FIELDS.forEach(function (name) { saved[name] = value(name); });
  conflictBox.setAttribute("tabindex", "-1");

  form.addEventListener("input", function () {
    warnedOnce = false;
    showFieldStates();
    if (!stopped) { schedule(); }
  });
  form.addEventListener("focusout", function (event) {
    if (event.target && FIELDS.indexOf(event.target.name) !== -1) { flush(false); }
  });
  if (confirmBox) {
    confirmBox.addEventListener("change", function () {
      if (confirmBox.checked) { refused = null; flush(false, true); }
    });
  }
  form.addEventListener("submit", function (event) {
    // With JavaScript, the button saves at once through the same check; the page stays where it is.
    event.preventDefault();
    if (stopped) { conflictBox.focus(); return; }
    var nothingNew = !pending();
    flush(false, true).then(function (ok) { if (ok && nothingNew) { say("Alles is bewaard."); } });
  });

  // Another form on the page ("Functies bewaren", attendance, an action, closing): first the notes.
  document.addEventListener("submit", function (event) {
    var other = event.target;
    if (other === form || !pending() || warnedOnce) { return; }
    event.preventDefault();
    var submitter = event.submitter || null;
    flush(false).then(function (ok) {
      if (!ok) { notSaved(); return; }
      if (other.requestSubmit) { other.requestSubmit(submitter); } else { other.submit(); }
    });
  }, true);

  // Any link to another page (the next point, the agenda, the menu): first the notes.
  document.addEventListener("click", function (event) {
    var link = event.target && event.target.closest ? event.target.closest("a[href]") : null;
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey ||
        event.shiftKey || event.altKey || (link.target && link.target !== "_self") || link.hasAttribute("download")) {
      return;
    }
    var samePage = link.pathname === location.pathname && link.search === location.search && link.hash;
    if (samePage || !pending() || warnedOnce) { return; }
    event.preventDefault();
    flush(false).then(function (ok) {
      if (ok) { window.location.assign(link.href); } else { notSaved(); }
    });
  }, true);

  // The tab is hidden, closed or left another way (back button, typed address): send what is pending, keepalive.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { flush(true); }
  });
  window.addEventListener("pagehide", function () { if (!inflight) { flush(true); } });
  window.addEventListener("beforeunload", function (event) {
    if (!pending()) { return; }
    flush(true);
    event.preventDefault();
    event.returnValue = "";  // older browsers need a value to ask
  });
})();
