/* Loaded on pages seen logged out: no copy of a test page kept by the service worker outlives the log-in that
   opened it (another person may use this browser next). */
(function () {
  "use strict";
  if (!window.caches) { return; }
  caches.keys().then(function (names) {
    names.forEach(function (name) { if (name.indexOf("lms-attempt-") === 0) { caches.delete(name); } });
  });
}());
