// Live preview while composing a signaalnota. Without JavaScript the "Voorbeeld" button does the same with a full
// page. The server renders the preview (privacy guard + sanitised Markdown), so what you see is what the PDF shows.
(function () {
  "use strict";
  var form = document.querySelector("form[data-voorbeeld]");
  var target = document.getElementById("voorbeeld");
  if (!form || !target || !window.fetch || !window.FormData || !window.URLSearchParams) { return; }

  var DELAY = 800;
  var timer = null, busy = false, again = false;

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)sw_csrftoken=([^;]*)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    var body = new URLSearchParams(new FormData(form));
    body.set("actie", "voorbeeld");
    fetch(form.getAttribute("data-voorbeeld"), {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/x-www-form-urlencoded", "X-CSRF-Token": csrfToken()},
      body: body.toString()
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.text();
    }).then(function (html) {
      var parsed = new DOMParser().parseFromString(html, "text/html");
      target.replaceChildren.apply(target, Array.prototype.slice.call(parsed.body.childNodes).map(function (node) {
        return document.importNode(node, true);
      }));
    }).catch(function () {
      // Keep the last preview; the "Voorbeeld" button still works.
    }).then(function () {
      busy = false;
      if (again) { again = false; refresh(); }
    });
  }

  form.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, DELAY);
  });
})();
