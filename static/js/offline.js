// On every page of a logged-in user: the service worker (the app shell for offline use), the small state
// indicator ("Offline", "N signalen wachten"), sending the queue (on load, when the connection returns, when the
// service worker's Background Sync wakes us), and the shared phone: logging out warns about unsent signals and
// clears this user's queue and drafts; another user's queue is deleted when someone else logs in here.
// Without service workers or IndexedDB the app works as it always did.
(function () {
  "use strict";
  var W = window.SignaalwerkWachtrij;
  var user = document.body && document.body.getAttribute("data-gebruiker");
  if (!user) { return; }
  var status = document.querySelector("[data-net-status]");
  var SHELL_USER = "signaalwerk:shell-gebruiker";

  // What this page shows of a send that left as a normal form post (intake.js marked it "verzenden"): read now,
  // before intake.js gives the form a fresh id.
  var saved = document.querySelector("[data-opgeslagen-client-id]");
  var formId = document.querySelector("form[data-intake] input[name=client_id]");
  var shown = [saved && saved.getAttribute("data-opgeslagen-client-id"), formId && formId.value]
    .filter(function (v) { return v; });

  function plural(n) { return n === 1 ? "1 signaal wacht" : n + " signalen wachten"; }

  function render() {
    if (!status) { return; }
    var parts = [];
    if (navigator.onLine === false) { parts.push("Offline"); }
    var done = function () {
      status.textContent = parts.join(" · ");
      status.classList.toggle("is-offline", navigator.onLine === false);
    };
    if (!W) { done(); return; }
    W.all().then(function (list) { if (list.length) { parts.push(plural(list.length)); } done(); }, done);
  }

  // ------------------------------------------------------------------ the service worker
  function localStore() { try { return window.localStorage; } catch (e) { return null; } }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      // The kept intake holds this user's gemeenten: fetch it again when someone else is logged in now.
      var store = localStore();
      if (store && store.getItem(SHELL_USER) !== user && registration.active) {
        registration.active.postMessage({ type: "shell" });
        store.setItem(SHELL_USER, user);
      }
    }).catch(function () { /* no service worker: online only, as before */ });
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "sync" && W) { W.sync().then(render); }
    });
  }

  if (!W) { render(); return; }

  // ------------------------------------------------------------------ on load, and when the connection returns
  function reconcile() {
    return W.all().then(function (list) {
      var moves = list.filter(function (i) { return i.status === "verzenden"; }).map(function (item) {
        if (shown.indexOf(item.client_id) !== -1) { return W.remove(item.client_id); } // this page shows it
        item.status = "wacht"; // the form post did not come back: it waits and is sent (once: its client_id)
        window.dispatchEvent(new CustomEvent("signaalwerk:bewaard"));
        return W.put(item);
      });
      return Promise.all(moves);
    });
  }

  W.onChange(render);
  W.clearOthers().then(reconcile).then(function () { return W.sync(); }).then(render, render);
  window.addEventListener("online", function () { render(); W.sync().then(render); });
  window.addEventListener("offline", render);

  // ------------------------------------------------------------------ logging out on a shared phone
  var logout = document.querySelector("form[data-logout]");
  var dialog = null;

  function leave() {
    var store = localStore();
    if (store) { store.removeItem(SHELL_USER); }
    var controller = navigator.serviceWorker && navigator.serviceWorker.controller;
    if (controller) { controller.postMessage({ type: "forget-shell" }); }
    return W.clearMine().then(function () { logout.submit(); }, function () { logout.submit(); });
  }

  function warn(count) {
    if (!dialog) {
      dialog = document.createElement("dialog");
      dialog.className = "confirm-dialog";
      dialog.setAttribute("aria-labelledby", "afmelden-titel");
      dialog.setAttribute("aria-describedby", "afmelden-gevolg");
      dialog.innerHTML = '<h2 id="afmelden-titel"></h2><p id="afmelden-gevolg">Wie zich afmeldt, wist ze van ' +
        'dit toestel. Verstuur ze eerst als je verbinding hebt.</p><p class="error" role="alert" ' +
        'id="afmelden-fout"></p><p class="actions"><button type="button" class="button button-primary" ' +
        'data-eerst>Eerst versturen</button> <button type="button" class="button" data-toch>Toch afmelden ' +
        'en wissen</button> <button type="button" class="button button-quiet" data-annuleer>Annuleren</button></p>';
      document.body.appendChild(dialog);
      dialog.querySelector("[data-annuleer]").addEventListener("click", function () { dialog.close(); });
      dialog.querySelector("[data-toch]").addEventListener("click", function () { dialog.close(); leave(); });
      dialog.querySelector("[data-eerst]").addEventListener("click", function () {
        var error = dialog.querySelector("#afmelden-fout");
        error.textContent = "";
        W.sync().then(W.all).then(function (list) {
          if (!list.length) { dialog.close(); leave(); return; }
          error.textContent = list.length === 1 ? "1 signaal is nog niet verstuurd." :
            list.length + " signalen zijn nog niet verstuurd.";
          dialog.querySelector("#afmelden-titel").textContent = error.textContent;
        });
      });
    }
    var text = count === 1 ? "1 signaal is nog niet verstuurd" : count + " signalen zijn nog niet verstuurd";
    dialog.querySelector("#afmelden-titel").textContent = text;
    dialog.querySelector("#afmelden-fout").textContent = "";
    if (typeof dialog.showModal === "function") { dialog.showModal(); }
    else if (window.confirm(text + ". Toch afmelden en ze wissen?")) { leave(); }
  }

  if (logout) {
    logout.addEventListener("submit", function (event) {
      event.preventDefault();
      W.all().then(function (list) {
        if (list.length) { warn(list.length); } else { leave(); }
      }, function () { logout.submit(); });
    });
  }
})();
