// Autosave of the notes of an agenda point while the meeting runs. The form works the same without JavaScript
// (the "Notities bewaren" button). Each save sends the version it is based on; when someone else saved in the
// meantime the server answers 409 with their text, which is shown next to ours: nothing is overwritten silently.
// When the privacy guard refuses the text (422 with `persoonsgegevens`), its message and the confirmation box are
// shown and autosave waits until the text changes or the box is checked.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.URLSearchParams || !window.FormData) { return; }

  var DELAY = 1500;
  var status = form.querySelector(".autosave-status");
  var conflictBox = form.querySelector(".autosave-conflict");
  var versie = form.elements.namedItem("versie");
  var privacyBox = form.querySelector(".autosave-privacy");
  var privacyText = privacyBox && privacyBox.querySelector(".autosave-privacy-tekst");
  var confirmBox = form.elements.namedItem("bevestig");
  var timer = null, busy = false, again = false, stopped = false, lastSent = null;

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)sw_csrftoken=([^;]*)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function say(text) { if (status) { status.textContent = text; } }

  function body() { return new URLSearchParams(new FormData(form)).toString(); }

  function showConflict(data) {
    stopped = true;
    conflictBox.textContent = "";
    var intro = document.createElement("p");
    intro.textContent = (data.detail || "Iemand anders wijzigde dit punt.") +
      " Jouw tekst staat nog in de velden; automatisch bewaren is gepauzeerd.";
    conflictBox.appendChild(intro);
    [["Notities van de ander", "notities"], ["Besluit van de ander", "besluit"]].forEach(function (pair) {
      var heading = document.createElement("h4");
      heading.textContent = pair[0];
      var pre = document.createElement("pre");
      pre.className = "prewrap bewaard";
      pre.textContent = (data.huidig && data.huidig[pair[1]]) || "";
      conflictBox.appendChild(heading);
      conflictBox.appendChild(pre);
    });
    var keep = document.createElement("button");
    keep.type = "button";
    keep.className = "button";
    keep.textContent = "Mijn tekst bewaren (na vergelijken)";
    keep.addEventListener("click", function () {
      versie.value = String(data.huidig.versie);
      stopped = false;
      conflictBox.hidden = true;
      save();
    });
    var take = document.createElement("button");
    take.type = "button";
    take.className = "button";
    take.textContent = "Hun tekst overnemen";
    take.addEventListener("click", function () {
      form.elements.namedItem("notities").value = data.huidig.notities || "";
      form.elements.namedItem("besluit").value = data.huidig.besluit || "";
      versie.value = String(data.huidig.versie);
      lastSent = body();
      stopped = false;
      conflictBox.hidden = true;
      say("Hun tekst overgenomen.");
    });
    conflictBox.appendChild(keep);
    conflictBox.appendChild(take);
    conflictBox.hidden = false;
    say("Niet bewaard: iemand anders wijzigde dit punt.");
  }

  function messages(data) {
    var fields = (data && data.fields) || {};
    var parts = Object.keys(fields).map(function (name) { return fields[name]; });
    return parts.length ? parts.join(" ") : ((data && data.detail) || "Niet bewaard.");
  }

  function showPrivacy(data) {
    // Nothing is stored: the text stays in the fields; saving again needs a change or the confirmation.
    if (privacyText) { privacyText.textContent = messages(data); }
    if (privacyBox) { privacyBox.hidden = false; }
    if (confirmBox) { confirmBox.checked = false; }
    say("Niet bewaard: mogelijk persoonsgegevens. Pas de tekst aan, of bevestig dat ze nodig zijn.");
  }

  function hidePrivacy() {
    if (privacyBox) { privacyBox.hidden = true; }
    if (confirmBox) { confirmBox.checked = false; }
  }

  function save() {
    if (stopped) { return; }
    if (busy) { again = true; return; }
    var payload = body();
    if (payload === lastSent) { return; }
    busy = true;
    say("Bewaren…");
    fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "x-csrf-token": csrfToken(),
        "accept": "application/json",
        "content-type": "application/x-www-form-urlencoded"
      },
      body: payload
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (response.ok) {
          versie.value = String(data.versie);
          hidePrivacy();
          lastSent = body();
          say("Bewaard om " + new Date().toLocaleTimeString("nl-BE", {hour: "2-digit", minute: "2-digit"}) + ".");
        } else if (response.status === 409) {
          showConflict(data);
        } else if (response.status === 422 && data && data.persoonsgegevens) {
          showPrivacy(data);
        } else if (response.status === 422) {
          say("Niet bewaard: " + messages(data));
        } else {
          say((data && data.detail) || "Niet bewaard. Gebruik de knop ‘Notities bewaren’.");
        }
      });
    }).catch(function () {
      say("Geen verbinding: nog niet bewaard. Je tekst blijft hier staan.");
    }).then(function () {
      busy = false;
      if (again) { again = false; schedule(); }
    });
  }

  function schedule() {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(save, DELAY);
  }

  lastSent = body();
  form.addEventListener("input", schedule);
  if (confirmBox) {
    confirmBox.addEventListener("change", function () {
      if (confirmBox.checked) { if (timer) { clearTimeout(timer); } save(); }
    });
  }
  form.addEventListener("submit", function (event) {
    // With JavaScript, the button saves at once through the same check; the page stays where it is.
    event.preventDefault();
    if (timer) { clearTimeout(timer); }
    lastSent = null;
    stopped = false;
    save();
  });
})();
