// Signaalwerk's service worker, served at /sw.js (web/offline.py puts self.SIGNAALWERK_SW before this file: the
// version and the list of what to keep). It keeps ONLY the app shell: CSS, JS, icons, the manifest and the offline
// intake (/offline/nieuw, which holds the taxonomy and the worker's gemeenten, never a signal). Every other page
// and every /api answer goes to the network and is never put in a cache: nothing about a young person is kept.
"use strict";
var CONFIG = self.SIGNAALWERK_SW;
var PREFIX = "signaalwerk-shell-";
var CACHE = PREFIX + CONFIG.version;

function storeShell(cache) {
  // Only a real intake page: logged out, the answer is a redirect to the login, which is not kept.
  return fetch(CONFIG.shell, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
    if (response.ok && !response.redirected) { return cache.put(CONFIG.shell, response); }
    return cache.delete(CONFIG.shell);
  }).catch(function () { /* offline: keep what there is */ });
}

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(CONFIG.assets).then(function () { return storeShell(cache); });
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name !== CACHE; })
      .map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function shell() {
  return caches.open(CACHE).then(function (cache) { return cache.match(CONFIG.shell); })
    .then(function (hit) { return hit || Response.error(); });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate" && CONFIG.intake.indexOf(url.pathname) !== -1) {
    // The intake from the network; without a connection the kept offline intake (also for a POST that could
    // not leave: intake.js put the signal in the queue before sending, so the shell finds it there).
    event.respondWith(fetch(request).then(function (response) {
      if (request.method === "GET" && url.pathname === CONFIG.shell && response.ok && !response.redirected) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { return cache.put(CONFIG.shell, copy); });
      }
      return response;
    }, shell));
    return;
  }
  if (request.method === "GET" && CONFIG.assets.indexOf(url.pathname + url.search) !== -1) {
    event.respondWith(caches.match(request).then(function (hit) { return hit || fetch(request); }));
  }
  // Anything else: the browser's own way to the network, never a cache of ours.
});

self.addEventListener("message", function (event) {
  var type = event.data && event.data.type;
  if (type === "shell") {
    event.waitUntil(caches.open(CACHE).then(storeShell));
  } else if (type === "forget-shell") {
    event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.delete(CONFIG.shell); }));
  }
});

// Background Sync: the pages send (they hold the session's CSRF token); wake the open ones.
self.addEventListener("sync", function (event) {
  if (event.tag !== "signaalwerk-wachtrij") { return; }
  event.waitUntil(self.clients.matchAll({ type: "window" }).then(function (windows) {
    windows.forEach(function (client) { client.postMessage({ type: "sync" }); });
  }));
});
