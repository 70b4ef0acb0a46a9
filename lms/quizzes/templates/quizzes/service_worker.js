/* The test pages' service worker (version {{ version }}): keeps the page of each open attempt (in a cache named
   by the attempt's id) and the page's script and stylesheet, so a reload or a browser restart without network
   still shows the test. The network always comes first; a kept copy is used only when the network fails, and
   a page that is no longer the test (closed, logged out, another user) removes its copy. */
"use strict";
var STATIC_CACHE = "lms-static-{{ version }}";
var ASSETS = {{ assets|tojson }};
var ATTEMPT_PAGE = /\/attempts\/(\d+)$/;

function attemptCache(id) { return "lms-attempt-" + id; }

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(STATIC_CACHE).then(function (cache) { return cache.addAll(ASSETS); })
    .then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("lms-static-") === 0 && name !== STATIC_CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function offlineCopy(id, url) {
  return caches.open(attemptCache(id)).then(function (cache) {
    return cache.match(url, { ignoreVary: true, ignoreSearch: true });
  }).then(function (kept) {
    if (!kept) { return Response.error(); }
    return kept.text().then(function (html) {
      var headers = new Headers(kept.headers);
      headers.delete("Content-Encoding");
      headers.delete("Content-Length");
      return new Response(html.replace('data-offline-copy="0"', 'data-offline-copy="1"'),
                          { status: 200, headers: headers });
    });
  });
}

function attemptPage(request, id) {
  return fetch(request).then(function (response) {
    if (response.ok && response.type === "basic" && !response.redirected) {
      var copy = response.clone();
      caches.open(attemptCache(id)).then(function (cache) { return cache.put(request.url, copy); });
      return response;
    }
    if (response.status >= 500) {  // the server is failing, not refusing: the kept copy is better than an error
      return offlineCopy(id, request.url).then(function (kept) { return kept.type === "error" ? response : kept; });
    }
    caches.delete(attemptCache(id));  // redirected (closed, logged out) or refused (another user's attempt)
    return response;
  }, function () { return offlineCopy(id, request.url); });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  var page = ATTEMPT_PAGE.exec(url.pathname);
  if (page && request.mode === "navigate") {
    event.respondWith(attemptPage(request, page[1]));
  } else if (ASSETS.indexOf(url.pathname) >= 0) {
    event.respondWith(caches.match(request).then(function (kept) { return kept || fetch(request); }));
  }
});

/* The page drops its copy after submitting (it also deletes the cache itself; this covers a page closing). */
self.addEventListener("message", function (event) {
  var message = event.data || {};
  var id = String(message.attemptId || "");
  if (/^\d+$/.test(id) && message.kind === "forget") { event.waitUntil(caches.delete(attemptCache(id))); }
});
