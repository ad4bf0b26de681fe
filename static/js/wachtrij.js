// The queue of signals that wait on this device (IndexedDB through idb-keyval), and their one sender.
// window.SignaalwerkWachtrij is used by intake.js (the form and the Wachtrij view) and offline.js (indicator,
// logout, sync on load / online / Background Sync). The queue belongs to the logged-in user: its key is
// "wachtrij:<user id>", and the keys of every other user are deleted when someone logs in on this browser.
// Every item carries a client_id, so a send that is repeated (lost answer, two tabs, a retry) stores one signal.
(function () {
  "use strict";
  var kv = window.idbKeyval;
  var user = document.body && document.body.getAttribute("data-gebruiker");
  if (!kv || !user || !window.indexedDB) { return; }

  var PREFIX = "wachtrij:";
  var KEY = PREFIX + user;
  var API = "/api/v1/signalen";
  var LOCK = "signaalwerk-wachtrij";
  var DRAFTS = "signaalwerk:concept:";
  var FIELDS = ["gemeente", "titel", "omschrijving", "datum", "plek", "bron", "levensdomein", "signaaltype",
                "aantal_jongeren", "leeftijd", "citaten"];
  var listeners = [];
  var channel = "BroadcastChannel" in window ? new BroadcastChannel("signaalwerk-wachtrij") : null;

  function tell() { listeners.forEach(function (fn) { try { fn(); } catch (e) { /* a view's own problem */ } }); }
  function changed() { tell(); if (channel) { channel.postMessage("gewijzigd"); } }
  if (channel) { channel.onmessage = tell; }

  function all() {
    return kv.get(KEY).then(function (list) { return Array.isArray(list) ? list : []; });
  }

  function change(fn) {
    return kv.update(KEY, function (list) { return fn(Array.isArray(list) ? list.slice() : []); }).then(changed);
  }

  function add(item) {
    return change(function (list) {
      return list.filter(function (i) { return i.client_id !== item.client_id; }).concat([item]);
    });
  }

  function put(item) {
    return change(function (list) {
      return list.map(function (i) { return i.client_id === item.client_id ? item : i; });
    });
  }

  function remove(clientId) {
    return change(function (list) { return list.filter(function (i) { return i.client_id !== clientId; }); });
  }

  function get(clientId) {
    return all().then(function (list) {
      return list.filter(function (i) { return i.client_id === clientId; })[0] || null;
    });
  }

  function clearDrafts() {
    try {
      var store = window.localStorage;
      for (var n = store.length - 1; n >= 0; n--) {
        var name = store.key(n);
        if (name && name.indexOf(DRAFTS) === 0) { store.removeItem(name); }
      }
    } catch (e) { /* no storage: no drafts */ }
  }

  // This user's queue and drafts, gone from this device (logout, "Wis dit toestel").
  function clearMine() {
    clearDrafts();
    return kv.del(KEY).then(changed);
  }

  // Someone else logged in here before: their queue and drafts are not ours to see or send.
  function clearOthers() {
    try {
      var store = window.localStorage;
      for (var n = store.length - 1; n >= 0; n--) {
        var name = store.key(n);
        if (name && name.indexOf(DRAFTS) === 0 && name.slice(-(user.length + 1)) !== "-" + user) {
          store.removeItem(name);
        }
      }
    } catch (e) { /* no storage: no drafts */ }
    return kv.keys().then(function (keys) {
      return Promise.all(keys.filter(function (k) {
        return typeof k === "string" && k.indexOf(PREFIX) === 0 && k !== KEY;
      }).map(function (k) { return kv.del(k); }));
    });
  }

  function csrf() {
    var match = document.cookie.match(/(?:^|;\s*)sw_csrftoken=([^;]*)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function body(item) {
    var v = item.velden || {};
    var out = { client_id: item.client_id, bevestig_persoonsgegevens: !!item.bevestig };
    FIELDS.forEach(function (name) {
      var value = v[name];
      if (name === "citaten") {
        out.citaten = String(value || "").split("\n").filter(function (line) { return line.trim(); });
      } else if (name === "aantal_jongeren") {
        out.aantal_jongeren = value === "" || value == null || isNaN(Number(value)) ? null : Number(value);
      } else {
        out[name] = value === "" || value == null ? null : String(value);
      }
    });
    return out;
  }

  // One send: "ok" (stored, or stored before: removed from the queue), "next" (kept as Nakijken), "stop".
  function send(item) {
    return fetch(API, {
      method: "POST", credentials: "same-origin", cache: "no-store",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "x-csrf-token": csrf() },
      body: JSON.stringify(body(item))
    }).then(function (response) {
      if (response.status === 200 || response.status === 201) {
        return remove(item.client_id).then(function () { return "ok"; });
      }
      return response.json().catch(function () { return {}; }).then(function (answer) {
        var fields = answer && answer.fields;
        if (response.status === 401 || (response.status === 403 && !fields)) {
          // The session expired (or its CSRF token with it): keep everything, ask to log in again.
          item.status = "aanmelden";
          return put(item).then(function () { return "stop"; });
        }
        if (response.status >= 400 && response.status < 500 && response.status !== 429) {
          item.status = "nakijken";
          item.code = response.status; // 409: the client_id is someone else's, Bewerken gives a new one
          item.bevindingen = (answer && answer.persoonsgegevens) || [];
          item.fouten = fields || {};
          item.melding = (answer && answer.detail) || "";
          item.bevestig = false;
          return put(item).then(function () { return "next"; });
        }
        return "stop"; // the server is down: try again later
      });
    }, function () { return "stop"; }); // no connection: it waits
  }

  function sendAll() {
    return all().then(function (list) {
      var waiting = list.filter(function (i) { return i.status !== "nakijken" && i.status !== "verzenden"; });
      waiting.sort(function (a, b) { return String(a.aangemaakt).localeCompare(String(b.aangemaakt)); });
      var step = function (n) {
        if (n >= waiting.length) { return Promise.resolve(); }
        return get(waiting[n].client_id).then(function (current) { // edited or deleted meanwhile?
          if (!current || current.status === "nakijken" || current.status === "verzenden") { return "next"; }
          return send(current);
        }).then(function (outcome) { return outcome === "stop" ? null : step(n + 1); });
      };
      return step(0);
    });
  }

  var busy = false;
  // Only one sender at a time on this device: a Web Lock shared by every tab (or this tab's flag without it).
  function sync() {
    if (navigator.onLine === false) { return Promise.resolve(); }
    if (navigator.locks && navigator.locks.request) {
      return navigator.locks.request(LOCK, { ifAvailable: true }, function (lock) {
        return lock ? sendAll() : null;
      });
    }
    if (busy) { return Promise.resolve(); }
    busy = true;
    return sendAll().then(function () { busy = false; }, function () { busy = false; });
  }

  function askBackgroundSync() {
    if (!("serviceWorker" in navigator)) { return; }
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.sync) { return registration.sync.register("signaalwerk-wachtrij"); }
    }).catch(function () { /* no Background Sync: the online event and the next page load send */ });
  }

  function newId() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  window.SignaalwerkWachtrij = {
    user: user, fields: FIELDS, all: all, add: add, put: put, remove: remove, get: get, sync: sync,
    clearMine: clearMine, clearOthers: clearOthers, clearDrafts: clearDrafts, askBackgroundSync: askBackgroundSync,
    newId: newId, onChange: function (fn) { listeners.push(fn); }
  };
})();
