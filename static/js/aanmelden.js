// On the login page of a shared phone: when signals of someone who did not log out still wait on this device,
// say so before anyone logs in. The same person logging in sends them; anyone else logging in deletes them
// (wachtrij.js clears every other user's queue), so nobody ever sees another person's signals.
(function () {
  "use strict";
  var kv = window.idbKeyval;
  var note = document.getElementById("wachtrij-vorige");
  if (!kv || !note || !window.indexedDB) { return; }
  kv.entries().then(function (entries) {
    var waiting = 0;
    entries.forEach(function (entry) {
      if (typeof entry[0] === "string" && entry[0].indexOf("wachtrij:") === 0 && Array.isArray(entry[1])) {
        waiting += entry[1].length;
      }
    });
    if (!waiting) { return; }
    note.textContent = (waiting === 1 ? "Op dit toestel wacht nog 1 signaal" : "Op dit toestel wachten nog " +
      waiting + " signalen") + " van wie zich niet afmeldde. Meld je aan als die persoon om ze te versturen: " +
      "wie zich als iemand anders aanmeldt, wist ze van dit toestel.";
    note.hidden = false;
  }).catch(function () { /* no IndexedDB: nothing can wait here */ });
})();
