/* The test-taking page: every change is queued on this device (localStorage) and sent to the server in
   order; the countdown follows the server's remaining seconds; at the deadline the page submits by itself.
   The server decides everything (time, grading): this file only keeps answers safe and the page honest. */
(function () {
  "use strict";
  var root = document.getElementById("attempt");
  if (!root) { return; }
  var data = root.dataset;
  /* The page as the server sent it (before this script changes anything): kept for a reload without network. */
  var served = "<!doctype html>\n" + document.documentElement.outerHTML;
  var form = document.getElementById("attempt-form");
  var statusEl = document.getElementById("save-status");
  var timerEl = document.getElementById("timer-value");
  var warningEl = document.getElementById("time-warning");
  var announcer = document.getElementById("announcer");
  var summary = document.getElementById("summary");
  var sequential = data.navigation === "sequential";
  var prefix = "lms.attempt." + data.attemptId + ".";
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };

  var fieldsets = {};
  each(form.querySelectorAll("fieldset.question"), function (fs) {
    fs.tabIndex = -1;
    fieldsets[fs.dataset.position] = fs;
  });

  /* ---------- messages (translated by the template) and storage ---------- */
  function msg(name, values) {
    var text = data["msg" + name] || "";
    Object.keys(values || {}).forEach(function (key) { text = text.split("{" + key + "}").join(values[key]); });
    return text;
  }
  function announce(text) {
    announcer.textContent = "";
    setTimeout(function () { announcer.textContent = text; }, 50);
  }
  function load(name, fallback) {
    try {
      var value = localStorage.getItem(prefix + name);
      return value === null ? fallback : JSON.parse(value);
    } catch (e) { return fallback; }
  }
  function store(name, value) {
    try { localStorage.setItem(prefix + name, JSON.stringify(value)); } catch (e) { /* private mode: memory only */ }
  }
  function forget() {
    ["queue", "seq", "current", "answers", "deadline"].forEach(function (name) {
      try { localStorage.removeItem(prefix + name); } catch (e) { /* nothing stored */ }
    });
  }
  var offlineCopy = data.offlineCopy === "1";  // the service worker's kept copy, shown without network

  /* ---------- the server's clock ---------- */
  var deadlineAt = null;  // a performance.now() value: the client's wall clock is never used
  var warned = {};
  var timeUp = false;
  var leaving = false;
  var WARNINGS = [[300, "FiveMinutes"], [60, "OneMinute"]];
  /* A save that reaches the server after the deadline counts only if the server heard from this page shortly
     before it, so in the last minutes the page says it is still there (a tiny request, nothing stored here). */
  var contactWindow = Number(data.contactSeconds) || 0;
  var lastContactAt = performance.now();
  var pinging = false;

  function syncClock(remainingSeconds, at) {
    var first = deadlineAt === null;
    deadlineAt = at + remainingSeconds * 1000;
    /* For a reload without network (the kept page's time is old): the deadline on this device's wall clock. */
    store("deadline", Date.now() + (deadlineAt - performance.now()));
    if (first) { WARNINGS.forEach(function (w) { warned[w[0]] = remainingSeconds <= w[0]; }); }
    tick();
  }
  function secondsLeft() { return Math.max(0, (deadlineAt - performance.now()) / 1000); }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function tick() {
    var left = secondsLeft();
    var whole = Math.ceil(left);
    timerEl.textContent = pad(Math.floor(whole / 60)) + ":" + pad(whole % 60);
    root.classList.toggle("time-low", left <= 300);
    WARNINGS.forEach(function (w) {
      if (left <= w[0] && !warned[w[0]]) {
        warned[w[0]] = true;
        warningEl.textContent = msg(w[1]);
      }
    });
    if (left <= 0 && !timeUp) { finishAtDeadline(); }
    keepInContact(left);
  }
  function keepInContact(left) {
    if (!contactWindow || !data.apiContact || left <= 0 || left > contactWindow + 15 || pinging || leaving) { return; }
    if (performance.now() - lastContactAt < Math.max(5000, contactWindow * 250)) { return; }
    pinging = true;
    api("POST", data.apiContact, {}).then(function () { pinging = false; }, function () { pinging = false; });
  }

  /* ---------- talking to the API ---------- */
  function api(method, url, body) {
    var sentAt = performance.now();
    return fetch(url, {
      method: method, credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": data.csrf },
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (response) {
      if (response.ok) { lastContactAt = performance.now(); wake(); }
      return response.json().catch(function () { return {}; }).then(function (json) {
        if (json && typeof json.remaining_seconds === "number") {
          syncClock(json.remaining_seconds, (sentAt + performance.now()) / 2);
        }
        return { status: response.status, ok: response.ok, body: json || {} };
      });
    });
  }
  function errorText(res) { return (res.body.error && res.body.error.message) || String(res.status); }
  function goToResult() {
    if (leaving) { return; }
    leaving = true;
    forget();
    tellWorker("forget");
    window.location.assign(data.resultUrl);
  }

  /* ---------- events (best effort, kept in memory until the connection returns) ---------- */
  var events = [];
  var sendingEvents = false;
  function queueEvent(kind, detail) {
    events.push({ kind: kind, detail: detail || {}, at: performance.now() });
    if (events.length > 30) { events.shift(); }
    sendEvents();
  }
  function sendEvents() {
    if (sendingEvents || !events.length || leaving) { return; }
    sendingEvents = true;
    var event = events[0];
    event.detail.reported_after_ms = Math.round(performance.now() - event.at);
    api("POST", data.apiEvents, { kind: event.kind, detail: event.detail }).then(function (res) {
      sendingEvents = false;
      if (res.status < 500) { events.shift(); sendEvents(); }
    }).catch(function () { sendingEvents = false; });
  }

  /* ---------- the save queue: position -> latest change, persisted on this device ---------- */
  var queue = load("queue", {});
  var answers = load("answers", {});  // the latest answer per question, sent or not: a kept page may be older
  var seq = Math.max(Number(data.lastSeq) || 0, Number(load("seq", 0)) || 0);
  var running = null;
  var flushTimer = null;
  var retryDelay = 0;
  var failing = false;
  var failingSince = 0;
  var blockedMessage = "";
  var isolate = false;

  function pending() {
    return Object.keys(queue).map(function (key) { return queue[key]; }).sort(function (a, b) { return a.seq - b.seq; });
  }
  function nextSeq() {
    seq = Math.max(seq, Number(load("seq", 0)) || 0) + 1;  // another tab may have counted too
    store("seq", seq);
    return seq;
  }
  function scheduleFlush(delay) {
    clearTimeout(flushTimer);
    flushTimer = setTimeout(flush, delay);
  }
  function renderStatus() {
    var count = pending().length;
    var state = "saved";
    var text = msg("Saved");
    if (blockedMessage) { state = "error"; text = blockedMessage; }
    else if (!navigator.onLine || (failing && count)) {
      state = "offline";
      text = msg(navigator.onLine ? "Waiting" : "Offline", { n: count });
    } else if (count || running) { state = "saving"; text = msg("Saving"); }
    statusEl.textContent = text;
    statusEl.setAttribute("data-state", state);
  }

  function settle(batch) {
    batch.forEach(function (item) {
      var current = queue[item.position];
      if (current && current.seq === item.seq) { delete queue[item.position]; }
    });
    store("queue", queue);
  }
  function networkUp() {
    blockedMessage = "";
    offlineNotice.hidden = true;
    if (failing) {
      queueEvent("reconnect", { offline_ms: Math.round(performance.now() - failingSince) });
      announce(msg("Saved"));
    }
    failing = false;
    retryDelay = 0;
    sendEvents();
  }
  function networkDown() {
    if (!failing) { failing = true; failingSince = performance.now(); }
    retryDelay = retryDelay ? Math.min(30000, retryDelay * 2) : 1000;
    scheduleFlush(retryDelay);
  }
  function rejectOne(batch, res) {
    if (batch.length > 1) { isolate = true; return "next"; }  // find the one bad save, keep the others
    var item = batch[0];
    delete queue[item.position];
    store("queue", queue);
    delete answers[item.position];
    store("answers", answers);
    showQuestionError(fieldsets[item.position], msg("NotSaved", { reason: errorText(res) }));
    return "next";
  }

  function sendBatch() {
    var batch = pending().slice(0, isolate ? 1 : 100);
    if (!batch.length) { isolate = false; return Promise.resolve("done"); }
    return api("POST", data.apiAnswers, { saves: batch }).then(function (res) {
      if (res.ok) {
        settle(batch);
        networkUp();
        if (res.body.state === "closed") { goToResult(); return "stop"; }
        return "next";
      }
      if (res.status === 409) { goToResult(); return "stop"; }
      if (res.status === 422) { networkUp(); return rejectOne(batch, res); }
      if (res.status === 401 || res.status === 400 || res.status === 403) {
        blockedMessage = res.status === 401 ? msg("Session") : msg("NotSaved", { reason: errorText(res) });
        announce(blockedMessage);
        return "stop";
      }
      throw new Error("server answered " + res.status);
    }).catch(function () {
      networkDown();
      return "stop";
    });
  }

  /* Send everything queued; resolves true when the queue is empty. */
  function flush() {
    clearTimeout(flushTimer);
    if (running) { return running; }
    var loop = function () {
      return sendBatch().then(function (outcome) {
        if (outcome === "next") { return loop(); }
        return outcome === "done";
      });
    };
    running = loop().then(function (done) {
      running = null;
      renderStatus();
      return done;
    });
    renderStatus();
    return running;
  }

  /* ---------- reading and writing answers in the page ---------- */
  function readAnswer(fs) {
    var type = fs.dataset.type;
    var inputs = fs.querySelectorAll(".answer");
    var checked = Array.prototype.filter.call(inputs, function (input) { return input.checked; });
    if (type === "single") { return checked.length ? { choice: checked[0].value } : {}; }
    if (type === "true_false") { return checked.length ? { value: checked[0].value === "true" } : {}; }
    if (type === "multiple") {
      return checked.length ? { choices: checked.map(function (input) { return input.value; }) } : {};
    }
    if (type === "short" || type === "numeric") { return inputs[0].value.trim() ? { text: inputs[0].value } : {}; }
    if (type === "matching") {
      var pairs = {};
      each(inputs, function (select) { if (select.value) { pairs[select.dataset.left] = select.value; } });
      return Object.keys(pairs).length ? { pairs: pairs } : {};
    }
    if (type === "ordering" && fs.dataset.touched) {
      return { order: Array.prototype.map.call(fs.querySelectorAll(".ordering li"), function (li) { return li.dataset.id; }) };
    }
    return {};
  }
  function writeAnswer(fs, answer) {
    var type = fs.dataset.type;
    each(fs.querySelectorAll(".answer"), function (input) {
      if (type === "single") { input.checked = input.value === answer.choice; }
      else if (type === "true_false") { input.checked = "value" in answer && String(answer.value) === input.value; }
      else if (type === "multiple") { input.checked = (answer.choices || []).indexOf(input.value) >= 0; }
      else if (type === "short" || type === "numeric") { input.value = answer.text || ""; }
      else if (type === "matching") { input.value = (answer.pairs || {})[input.dataset.left] || ""; }
    });
    if (type === "ordering" && answer.order) {
      var list = fs.querySelector(".ordering");
      answer.order.forEach(function (id) {
        each(list.children, function (li) { if (li.dataset.id === id) { list.appendChild(li); } });
      });
      fs.dataset.touched = "1";
    }
  }
  function isAnswered(fs) { return Object.keys(readAnswer(fs)).length > 0; }
  function isFlagged(fs) { return fs.querySelector(".flag-input").checked; }

  function showQuestionError(fs, text) {
    var box = fs.querySelector(".question-error");
    box.textContent = text;
    box.hidden = !text;
    if (text) { announce(text); }
  }
  function refreshNav(fs) {
    var item = document.querySelector('.qnav-item[data-position="' + fs.dataset.position + '"]');
    if (!item) { return; }
    var answered = isAnswered(fs);
    var flagged = isFlagged(fs);
    item.classList.toggle("is-answered", answered);
    item.classList.toggle("is-flagged", flagged);
    item.querySelector(".qnav-state").textContent =
      ": " + msg(answered ? "Answered" : "Unanswered") + (flagged ? ", " + msg("Flagged") : "");
  }

  /* One change: a new sequence number, kept on this device at once, sent a little later. */
  function record(fs, delay) {
    if (timeUp) { return; }
    var position = Number(fs.dataset.position);
    queue[position] = { position: position, answer: readAnswer(fs), flagged: isFlagged(fs), seq: nextSeq(),
                        changed_before_deadline: true };
    store("queue", queue);
    answers[position] = queue[position];
    store("answers", answers);
    blockedMessage = "";
    showQuestionError(fs, "");
    refreshNav(fs);
    renderStatus();
    scheduleFlush(delay);
  }

  function moveItem(button) {
    var li = button.closest("li");
    var list = li.parentNode;
    var step = Number(button.dataset.step);
    var target = step < 0 ? li.previousElementSibling : li.nextElementSibling;
    if (!target) { return; }
    list.insertBefore(li, step < 0 ? target : target.nextElementSibling);
    button.focus();
    var fs = button.closest("fieldset");
    fs.dataset.touched = "1";
    var position = Array.prototype.indexOf.call(list.children, li) + 1;
    announce(msg("Moved", { position: position, count: list.children.length }));
    record(fs, 300);
  }

  /* ---------- navigation and the summary before submitting ---------- */
  function showQuestion(position, quietly) {
    if (!fieldsets[position]) { position = 1; }
    Object.keys(fieldsets).forEach(function (key) { fieldsets[key].hidden = key !== String(position); });
    store("current", position);
    if (!quietly) { fieldsets[position].focus(); }
  }
  function showSummary() {
    var answered = 0;
    var total = 0;
    var lists = { unanswered: document.getElementById("summary-unanswered"), flagged: document.getElementById("summary-flagged") };
    var shown = { unanswered: 0, flagged: 0 };
    Object.keys(fieldsets).forEach(function (position) {
      var fs = fieldsets[position];
      var states = { unanswered: !isAnswered(fs), flagged: isFlagged(fs) };
      total += 1;
      answered += states.unanswered ? 0 : 1;
      Object.keys(lists).forEach(function (name) {
        lists[name].querySelector('li[data-position="' + position + '"]').hidden = !states[name];
        shown[name] += states[name] ? 1 : 0;
      });
    });
    Object.keys(lists).forEach(function (name) { lists[name].hidden = !shown[name]; });
    document.getElementById("summary-count").textContent = msg("Summary", { answered: answered, total: total });
    form.hidden = true;
    each(document.querySelectorAll(".attempt > .actions"), function (el) { el.hidden = true; });
    summary.hidden = false;
    document.getElementById("summary-title").focus();
    flush();
  }
  function hideSummary() {
    summary.hidden = true;
    form.hidden = false;
    each(document.querySelectorAll(".attempt > .actions"), function (el) { el.hidden = false; });
  }
  function lock() {
    each(root.querySelectorAll("input, select, button"), function (el) { el.disabled = true; });
  }
  function showSubmitMessage(text) {
    var box = document.getElementById("submit-message");
    box.textContent = text;
    box.hidden = !text;
    if (text) { announce(text); }
  }

  /* Submit after everything queued has reached the server; submitting twice is harmless there. */
  var submitting = false;
  var submitRetry = null;
  function submitAttempt() {
    if (submitting || leaving) { return; }
    clearTimeout(submitRetry);
    submitRetry = null;
    submitting = true;
    showSubmitMessage("");
    statusEl.textContent = msg("Submitting");
    flush().then(function (done) {
      var overdue = timeUp && performance.now() - deadlineAt > 20000;  // past the save grace: the server has closed it
      if (!done && !overdue) { throw new Error("answers still waiting"); }
      return api("POST", data.apiSubmit, {}).then(function (res) {
        if (res.ok || res.status === 409) { goToResult(); return; }
        throw new Error("submit answered " + res.status);
      });
    }).catch(function () {
      submitting = false;
      renderStatus();
      /* After the deadline the result must follow the connection's return within 2 s: retry often (a request
         that cannot leave the device costs the server nothing), and at once on `online` or any answer. */
      if (timeUp) { submitRetry = setTimeout(submitAttempt, 1000 + Math.random() * 500); }
      else { showSubmitMessage(msg("SubmitOffline")); }
    });
  }
  function finishAtDeadline() {
    timeUp = true;
    lock();
    warningEl.textContent = msg("TimeUp");
    submitAttempt();
  }

  /* On a phone the navigator folds behind one button in the sticky bar, so question 1 shows on the first screen. */
  var navToggle = document.getElementById("qnav-toggle");
  function toggleNavigator() {
    var open = navToggle.getAttribute("aria-expanded") !== "true";
    navToggle.setAttribute("aria-expanded", String(open));
    document.getElementById("qnav").classList.toggle("is-open", open);
  }

  /* "Skip to question 1": in a sequential test, to the question shown (earlier ones are behind the trainee). */
  each(document.querySelectorAll('a.skip-link[href="#q-1"]'), function (link) {
    link.addEventListener("click", function (event) {
      if (!sequential) { return; }
      event.preventDefault();
      var shown = Object.keys(fieldsets).filter(function (key) { return !fieldsets[key].hidden; })[0];
      if (shown) { fieldsets[shown].focus(); }
    });
  });

  /* ---------- wiring ---------- */
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("input", function (event) {
    if (event.target.type === "text") { record(event.target.closest("fieldset"), 1000); }
  });
  form.addEventListener("change", function (event) {
    var target = event.target;
    if (target.type === "text") { scheduleFlush(0); return; }
    if (target.classList.contains("answer") || target.classList.contains("flag-input")) {
      record(target.closest("fieldset"), 300);
    }
  });
  root.addEventListener("click", function (event) {
    var target = event.target.closest("button, a");
    if (!target) { return; }
    if (target.id === "qnav-toggle") { toggleNavigator(); return; }
    if (target.classList.contains("qnav-item") && navToggle.getAttribute("aria-expanded") === "true") { toggleNavigator(); }
    if (target.classList.contains("move")) { moveItem(target); }
    else if (target.classList.contains("next-question")) { showQuestion(Number(target.closest("fieldset").dataset.position) + 1); }
    else if (target.classList.contains("open-summary")) { showSummary(); }
    else if (target.id === "close-summary") { hideSummary(); }
    else if (target.id === "submit-attempt") { submitAttempt(); }
    else if (target.classList.contains("summary-link") || target.classList.contains("qnav-item")) { hideSummary(); }
  });
  window.addEventListener("online", function () {
    queueEvent("online");
    announce(msg("BackOnline"));
    wake();
    flush();
    resync();
  });
  window.addEventListener("offline", function () {
    queueEvent("offline");
    renderStatus();
    announce(msg("Offline", { n: pending().length }));
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { queueEvent("hidden"); flush(); }
    else { queueEvent("visible"); resync(); }
  });
  window.addEventListener("pageshow", function (event) { if (event.persisted) { resync(); } });

  /* The connection works again (the `online` event or any successful answer): what waits for a retry goes now. */
  function wake() {
    if (offlineNotice) { offlineNotice.hidden = true; }
    var waited = retryDelay > 0 || submitRetry !== null;
    retryDelay = 0;
    if (!waited) { return; }
    if (pending().length && !running) { scheduleFlush(0); }
    if (submitRetry !== null) { clearTimeout(submitRetry); submitRetry = null; setTimeout(submitAttempt, 0); }
  }

  /* ---------- the service worker keeps this page for a reload without network ---------- */
  var offlineNotice = document.getElementById("offline-copy");
  function tellWorker(kind) {
    if (!("serviceWorker" in navigator) || !data.serviceWorker) { return; }
    if (kind === "forget" && window.caches) { caches.delete("lms-attempt-" + data.attemptId); }
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.active) { registration.active.postMessage({ kind: kind, attemptId: data.attemptId }); }
    });
  }
  function registerWorker() {
    if (!("serviceWorker" in navigator) || !window.caches || !data.serviceWorker || offlineCopy) { return; }
    if (!navigator.serviceWorker.controller) {
      /* This visit did not pass through the worker: keep the page as served, with no second request. */
      caches.open("lms-attempt-" + data.attemptId).then(function (cache) {
        return cache.put(location.href.split("#")[0],
                         new Response(served, { headers: { "Content-Type": "text/html; charset=utf-8" } }));
      }).catch(function () { /* storage full or refused: no offline copy */ });
    }
    navigator.serviceWorker.register(data.serviceWorker, { scope: data.serviceWorkerScope })
      .catch(function () { /* no worker (private mode, old browser): the page works as before */ });
  }

  function resync() {
    api("GET", data.apiAttempt).then(function (res) {
      if (res.body.state === "closed") { goToResult(); return; }
      if (res.ok) { seq = Math.max(seq, res.body.last_seq || 0); }
    }).catch(function () { /* offline: the local countdown goes on */ });
  }

  /* Start: the clock from the rendered page, then replay whatever this device still holds. */
  var navigation = performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
  var keptDeadline = Number(load("deadline", 0));
  if (offlineCopy && keptDeadline) {
    syncClock((keptDeadline - Date.now()) / 1000, performance.now());
    offlineNotice.hidden = false;
    failing = true;
    failingSince = performance.now();
  } else {
    syncClock(Number(data.remaining) || 0, navigation ? navigation.responseStart : 0);
  }
  Object.keys(answers).forEach(function (position) {
    var item = answers[position];
    var fs = fieldsets[position];
    if (!fs || !item || item.seq <= Number(fs.dataset.answerSeq)) { delete answers[position]; return; }
    writeAnswer(fs, item.answer || {});
    fs.querySelector(".flag-input").checked = !!item.flagged;
    refreshNav(fs);
  });
  store("answers", answers);
  pending().forEach(function (item) {
    var fs = fieldsets[item.position];
    if (!fs || item.seq <= Number(fs.dataset.answerSeq)) { delete queue[item.position]; return; }
    writeAnswer(fs, item.answer || {});
    fs.querySelector(".flag-input").checked = !!item.flagged;
    refreshNav(fs);
  });
  store("queue", queue);
  registerWorker();
  if (sequential) { showQuestion(load("current", 1), true); }
  renderStatus();
  setInterval(tick, 250);
  flush();
  /* A page just rendered by the server knows its state and sequence; only the kept copy must ask. */
  if (offlineCopy) { resync(); }
}());
