// "Lijkt op": while a worker types a new signal, shows up to three similar recent signals of the gemeente (with
// their dates) and, when the nearest signals agree, a suggested signaaltype and levensdomein with a button that
// fills the select (the worker still chooses). The draft text is POSTed (never put in a URL); nothing is stored.
// Without JavaScript the saved page lists similar signals instead.
(function () {
  "use strict";
  var region = document.getElementById("lijkt-op");
  var form = document.getElementById("signaal-form");
  if (!region || !form || !window.fetch || !window.JSON) { return; }
  var url = region.getAttribute("data-url");
  var DELAY = 600, MIN_WORDS = 3;
  var timer = null, asked = 0, lastSent = "";

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)sw_csrftoken=([^;]*)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function value(name) {
    var el = form.elements.namedItem(name);
    return el && "value" in el ? String(el.value || "") : "";
  }

  function words(text) {
    return text.split(/\s+/).filter(function (w) { return /[0-9A-Za-zÀ-ÿ]/.test(w); }).length;
  }

  function date(iso) {
    var parts = String(iso || "").split("-");
    return parts.length === 3 ? parts[2] + "/" + parts[1] + "/" + parts[0] : "";
  }

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    if (cls) { node.className = cls; }
    return node;
  }

  function optionLabel(select, slug) {
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === slug) { return select.options[i].textContent; }
    }
    return null;
  }

  function suggestion(name, slug, what) {
    var select = form.elements.namedItem(name);
    if (!slug || !select || select.value) { return null; }
    var label = optionLabel(select, slug);
    if (!label) { return null; }
    var row = el("p", null, "voorstel");
    row.appendChild(el("span", "Voorstel " + what + ": " + label));
    var button = el("button", "Kies " + label, "button");
    button.type = "button";
    button.addEventListener("click", function () {
      select.value = slug;
      var details = select.closest("details");
      if (details) { details.open = true; }
      select.dispatchEvent(new Event("change", {bubbles: true}));
      select.focus();
      row.parentNode.removeChild(row);
    });
    row.appendChild(button);
    return row;
  }

  function show(answer) {
    while (region.firstChild) { region.removeChild(region.firstChild); }
    var items = (answer && answer.items) || [];
    var voorstel = (answer && answer.voorstel) || {};
    if (items.length) {
      region.appendChild(el("p", "Lijkt op:", "lijkt-op-kop"));
      var list = el("ul");
      items.forEach(function (item) {
        var li = el("li");
        var link = el("a", item.titel);
        link.href = "/signalen/" + encodeURIComponent(item.signaal);
        li.appendChild(link);
        li.appendChild(document.createTextNode(" (" + date(item.datum) + (item.plek ? ", " + item.plek : "") + ")"));
        li.appendChild(el("span", " — " + item.reden, "muted"));
        list.appendChild(li);
      });
      region.appendChild(list);
    }
    [suggestion("signaaltype", voorstel.signaaltype, "soort signaal"),
     suggestion("levensdomein", voorstel.levensdomein, "levensdomein")].forEach(function (row) {
      if (row) { region.appendChild(row); }
    });
    region.hidden = !region.firstChild;
  }

  function ask() {
    var titel = value("titel"), omschrijving = value("omschrijving");
    var gemeente = value("gemeente");
    var key = [gemeente, titel, omschrijving].join("\u0000");
    if (key === lastSent) { return; }
    if (!gemeente || words(titel + " " + omschrijving) < MIN_WORDS) { show(null); lastSent = ""; return; }
    lastSent = key;
    var mine = ++asked;
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRF-Token": csrfToken()},
      body: JSON.stringify({gemeente: gemeente, titel: titel, omschrijving: omschrijving, plek: value("plek")})
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (answer) {
      if (mine === asked) { show(answer); }
    }).catch(function () { /* offline or refused: no hint, the form works the same */ });
  }

  function later() {
    if (timer) { window.clearTimeout(timer); }
    timer = window.setTimeout(ask, DELAY);
  }

  ["titel", "omschrijving", "plek", "gemeente"].forEach(function (name) {
    var field = form.elements.namedItem(name);
    if (field && field.addEventListener) {
      field.addEventListener("input", later);
      field.addEventListener("change", later);
    }
  });
})();
