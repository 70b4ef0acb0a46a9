/* The class live room: one Socket.IO connection per page (reconnecting, long-polling first then WebSocket),
   joining each [data-room-class] panel's room. On every (re)connect the page asks the server for the current
   state, so a trainee who comes back after the test opened lands in it. Words come from the panel's data-msg-*. */
(function () {
  "use strict";
  var panels = Array.prototype.slice.call(document.querySelectorAll("[data-room-class]"));
  if (!panels.length || typeof window.io !== "function") { return; }

  function msg(panel, name, values) {
    var text = panel.getAttribute("data-msg-" + name) || "";
    Object.keys(values || {}).forEach(function (key) { text = text.split("{" + key + "}").join(values[key]); });
    return text;
  }
  function part(panel, name) { return panel.querySelector("[data-room-" + name + "]"); }
  function setText(node, text) { if (node) { node.textContent = text; } }
  function classId(panel) { return parseInt(panel.getAttribute("data-room-class"), 10); }
  function isStaff(panel) { return panel.getAttribute("data-room-staff") === "1"; }
  function panelFor(data) {
    return panels.filter(function (p) { return data && classId(p) === data.class_id; })[0];
  }

  var socket = window.io({ reconnection: true, reconnectionDelay: 1000, reconnectionDelayMax: 10000,
                           transports: ["polling", "websocket"] });
  var moving = false;

  function status(name) { panels.forEach(function (p) { setText(part(p, "status"), msg(p, name)); }); }

  function send(panel, event, data, done) {
    data.class_id = classId(panel);
    setText(part(panel, "error"), "");
    socket.emit(event, data, function (answer) {
      if (!answer || !answer.ok) { setText(part(panel, "error"), answer ? answer.error : ""); return; }
      if (answer.state) { render(panel, answer.state); }
      if (done) { done(answer); }
    });
  }

  function join(panel) { send(panel, "join", {}); }

  /* ---------------------------------------------------------------- trainee */

  function goToTest(panel, test) {
    if (moving || panel.getAttribute("data-room-mode") === "attempt") { return; }
    if (test.action === "resume" && test.attempt_url) { moving = true; window.location.assign(test.attempt_url); }
    if (test.action !== "start") { return; }
    moving = true;
    setText(part(panel, "notice"), msg(panel, "moving"));
    var form = document.createElement("form");
    form.method = "post";
    form.action = test.start_url;
    var token = document.createElement("input");
    token.type = "hidden"; token.name = "csrf_token"; token.value = panel.getAttribute("data-csrf");
    form.appendChild(token);
    document.body.appendChild(form);
    form.submit();
  }

  function renderTrainee(panel, state) {
    setText(part(panel, "test"), state.test ? msg(panel, "test-open", { time: state.test.closes_at }) : msg(panel, "no-test"));
    var roll = part(panel, "roll");
    if (roll) {
      roll.hidden = !(state.roll_call && !state.roll_call.confirmed);
      roll.setAttribute("data-roll-id", state.roll_call ? state.roll_call.id : "");
    }
    if (state.test) { goToTest(panel, state.test); }
  }

  /* ---------------------------------------------------------------- trainer */

  var rows = {};

  function statusLabel(panel, row) {
    return msg(panel, { in_test: "in-test", submitted: "submitted", not_started: "not-started", absent: "absent" }[row.status]);
  }

  function drawRows(panel) {
    var body = part(panel, "rows");
    var list = Object.keys(rows).map(function (id) { return rows[id]; });
    list.sort(function (a, b) { return a.order - b.order; });
    body.textContent = "";
    var counts = { connected: 0, in_test: 0, submitted: 0, not_started: 0, absent: 0 };
    var absent = [];
    list.forEach(function (row) {
      var tr = document.createElement("tr");
      tr.setAttribute("data-user-id", row.user_id);
      tr.className = "room-row room-" + row.status;
      [row.name, msg(panel, row.connected ? "yes" : "no"), statusLabel(panel, row),
       row.questions ? row.answered + "/" + row.questions : "", row.score].forEach(function (text) {
        var td = document.createElement("td"); td.textContent = text; tr.appendChild(td);
      });
      body.appendChild(tr);
      counts[row.status] += 1;
      if (row.connected) { counts.connected += 1; }
      if (row.status === "absent") { absent.push(row.name); }
    });
    setText(part(panel, "summary"), [msg(panel, "yes") + ": " + counts.connected, msg(panel, "in-test") + ": " + counts.in_test,
      msg(panel, "submitted") + ": " + counts.submitted, msg(panel, "not-started") + ": " + counts.not_started,
      msg(panel, "absent") + ": " + counts.absent].join(" · "));
    setText(part(panel, "absent"), absent.length ? absent.join(", ") : msg(panel, "nobody-absent"));
  }

  function fillSelect(select, items, label) {
    var chosen = select.value;
    select.textContent = "";
    items.forEach(function (item) {
      var option = document.createElement("option");
      option.value = item.id; option.textContent = label(item);
      select.appendChild(option);
    });
    if (chosen) { select.value = chosen; }
  }

  function renderStaff(panel, state) {
    rows = {};
    state.rows.forEach(function (row, index) { row.order = index; rows[row.user_id] = row; });
    drawRows(panel);
    fillSelect(part(panel, "tests"), state.tests, function (t) { return t.title; });
    fillSelect(part(panel, "trainees"), state.rows.map(function (r) { return { id: r.user_id, name: r.name }; }),
               function (t) { return t.name; });
    var minutes = panel.querySelector("#room-minutes");
    if (state.tests.length && minutes && !minutes.getAttribute("data-touched")) { minutes.value = state.tests[0].minutes; }
    setText(part(panel, "opening"), state.opening && state.opening.is_open
      ? state.opening.title + ": " + msg(panel, "test-open", { time: state.opening.closes_at }) : msg(panel, "no-test"));
    setText(part(panel, "roll-count"), state.roll_call ? msg(panel, "count", { count: state.roll_call.count }) : "");
  }

  function render(panel, state) {
    drawAnnouncements(panel, state.announcements || []);
    if (isStaff(panel)) { renderStaff(panel, state); } else { renderTrainee(panel, state); }
  }

  function drawAnnouncements(panel, items) {
    var list = part(panel, "announcements");
    if (!list) { return; }
    list.textContent = "";
    if (!items.length) { var empty = document.createElement("li"); empty.className = "muted"; empty.textContent = msg(panel, "none"); list.appendChild(empty); }
    items.forEach(function (item) { addAnnouncement(panel, item, false); });
  }

  function addAnnouncement(panel, item, first) {
    var list = part(panel, "announcements");
    if (!list) { return; }
    var empty = list.querySelector("li.muted");
    if (empty) { list.removeChild(empty); }
    var li = document.createElement("li");
    var when = document.createElement("span"); when.className = "muted"; when.textContent = item.at + " · ";
    li.appendChild(when); li.appendChild(document.createTextNode(item.text));
    if (first && list.firstChild) { list.insertBefore(li, list.firstChild); } else { list.appendChild(li); }
  }

  /* ---------------------------------------------------------------- events */

  socket.on("connect", function () { status("live"); panels.forEach(join); });
  socket.on("disconnect", function () { status("reconnecting"); });
  socket.io.on("reconnect_attempt", function () { status("reconnecting"); });
  socket.io.on("reconnect_failed", function () { status("offline"); });

  socket.on("test_opened", function (data) {
    var panel = panelFor(data);
    if (!panel) { return; }
    if (isStaff(panel)) { send(panel, "state", {}); return; }
    goToTest(panel, { action: "start", start_url: data.start_url });
  });
  socket.on("test_closed", function (data) {
    var panel = panelFor(data);
    if (!panel) { return; }
    if (isStaff(panel)) { send(panel, "state", {}); } else { setText(part(panel, "notice"), msg(panel, "test-closed")); setText(part(panel, "test"), msg(panel, "no-test")); }
  });
  socket.on("live_rows", function (data) {
    var panel = panelFor(data);
    if (!panel || !isStaff(panel)) { return; }
    data.rows.forEach(function (row) {
      var old = rows[row.user_id];
      row.order = old ? old.order : Object.keys(rows).length;
      rows[row.user_id] = row;
    });
    drawRows(panel);
  });
  socket.on("announcement", function (item) { var panel = panelFor(item); if (panel) { addAnnouncement(panel, item, true); } });
  socket.on("roll_call", function (data) {
    var panel = panelFor(data);
    if (!panel) { return; }
    if (isStaff(panel)) { setText(part(panel, "roll-count"), msg(panel, "count", { count: data.count })); return; }
    var roll = part(panel, "roll");
    if (roll) { roll.hidden = false; roll.setAttribute("data-roll-id", data.id); }
  });
  socket.on("roll_call_count", function (data) {
    var panel = panelFor(data);
    if (panel) { setText(part(panel, "roll-count"), msg(panel, "count", { count: data.count })); }
  });
  socket.on("extra_time", function (data) {
    var panel = panelFor(data);
    if (panel) { setText(part(panel, "notice"), msg(panel, "extra-time", { minutes: data.minutes })); }
  });

  panels.forEach(function (panel) {
    Array.prototype.forEach.call(panel.querySelectorAll("form[data-room-form]"), function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var data = {};
        Array.prototype.forEach.call(form.elements, function (field) {
          if (!field.name) { return; }
          data[field.name] = field.type === "number" || field.tagName === "SELECT" ? parseInt(field.value, 10) : field.value;
        });
        var event_name = form.getAttribute("data-room-form");
        send(panel, event_name, data, function () { if (event_name === "announce") { form.reset(); } });
      });
    });
    var minutes = panel.querySelector("#room-minutes");
    if (minutes) { minutes.addEventListener("input", function () { minutes.setAttribute("data-touched", "1"); }); }
    var confirm = part(panel, "confirm");
    if (confirm) {
      confirm.addEventListener("click", function () {
        var roll = part(panel, "roll");
        send(panel, "confirm_roll_call", { roll_call_id: parseInt(roll.getAttribute("data-roll-id"), 10) }, function () {
          roll.hidden = true;
          setText(part(panel, "notice"), msg(panel, "confirmed"));
        });
      });
    }
  });
})();
