// Confirm before what cannot be undone (templates/_partials/confirm.html, common/confirm.py).
// A form with data-confirm opens an accessible <dialog> instead of posting: the question as its title, the
// consequence as its description, "Annuleren" and the confirming button. Escape or "Annuleren" cancels and returns
// focus to the button that was pressed; confirming adds bevestigd=1 (and the second checkbox, when asked) and posts.
// Without this script the server answers the same question as a page.
(function () {
  "use strict";
  if (typeof HTMLDialogElement !== "function") return; // the server's confirmation page takes over

  var dialog, title, text, checkWrap, check, checkLabel, error, ok, form, trigger;

  function el(tag, attrs, content) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (content) node.textContent = content;
    return node;
  }

  function build() {
    dialog = el("dialog", { "class": "confirm-dialog", "aria-labelledby": "confirm-titel",
                            "aria-describedby": "confirm-gevolg" });
    title = el("h2", { id: "confirm-titel" });
    text = el("p", { id: "confirm-gevolg" });
    checkWrap = el("p", { "class": "field" });
    check = el("input", { type: "checkbox", id: "confirm-controle" });
    checkLabel = el("label", { "for": "confirm-controle" });
    error = el("p", { "class": "error", id: "confirm-fout", role: "alert" });
    checkWrap.append(check, " ", checkLabel);
    var actions = el("p", { "class": "actions" });
    var cancel = el("button", { type: "button", "class": "button button-quiet" }, "Annuleren");
    ok = el("button", { type: "button", "class": "button button-danger" });
    actions.append(cancel, ok);
    dialog.append(title, text, error, actions);
    document.body.append(dialog);
    cancel.addEventListener("click", function () { dialog.close("annuleren"); });
    ok.addEventListener("click", confirmed);
    // Escape fires "cancel" and closes the dialog; every way of closing returns focus to the trigger
    dialog.addEventListener("close", function () {
      if (dialog.returnValue !== "bevestigd" && trigger) trigger.focus();
    });
  }

  function hidden(name, value) {
    var input = form.querySelector('input[type="hidden"][name="' + name + '"][data-confirm-added]');
    if (!input) {
      input = el("input", { type: "hidden", name: name, "data-confirm-added": "" });
      form.append(input);
    }
    input.value = value;
  }

  function confirmed() {
    var naam = form.getAttribute("data-confirm-controle-naam");
    if (naam && !check.checked) {
      error.textContent = "Vink aan: " + checkLabel.textContent + ".";
      check.setAttribute("aria-invalid", "true");
      check.setAttribute("aria-describedby", "confirm-fout");
      check.focus();
      return;
    }
    hidden("bevestigd", "1");
    if (naam) hidden(naam, "1");
    form.setAttribute("data-confirm-bevestigd", "");
    dialog.close("bevestigd");
    if (typeof form.requestSubmit === "function") {
      form.requestSubmit(trigger && trigger.form === form ? trigger : undefined);
    } else {
      form.submit();
    }
  }

  function open(target, submitter) {
    if (!dialog) build();
    form = target;
    trigger = submitter || form.querySelector('[type="submit"]');
    title.textContent = form.getAttribute("data-confirm");
    text.textContent = form.getAttribute("data-confirm-gevolg") || "";
    ok.textContent = form.getAttribute("data-confirm-knop") || "Bevestigen";
    var controle = form.getAttribute("data-confirm-controle");
    // the checkbox is only in the dialog when the form asks for it (a hidden one would still be in the way)
    if (controle) dialog.insertBefore(checkWrap, error); else checkWrap.remove();
    checkLabel.textContent = controle || "";
    check.checked = false;
    check.removeAttribute("aria-invalid");
    check.removeAttribute("aria-describedby");
    error.textContent = "";
    dialog.returnValue = "";
    dialog.showModal();
    (controle ? check : ok).focus();
  }

  document.addEventListener("submit", function (event) {
    var target = event.target;
    if (!(target instanceof HTMLFormElement) || !target.hasAttribute("data-confirm")) return;
    if (target.hasAttribute("data-confirm-bevestigd")) {
      target.removeAttribute("data-confirm-bevestigd"); // a later submit (after going back) asks again
      return;
    }
    event.preventDefault();
    open(target, event.submitter);
  });
}());
