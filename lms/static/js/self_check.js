/* Lesson self-checks that ask first: the trainee chooses, presses "Check", and sees right or wrong with
   the explanation, without a page reload. Practice only: the key is in the page and nothing is sent. */
(function () {
  "use strict";
  var messages = document.querySelector("[data-self-check-messages]");
  if (!messages) { return; }
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };

  function plain(text, ignoreMarks) {
    var value = String(text || "").normalize("NFC").toLowerCase().replace(/\s+/g, " ").trim();
    if (ignoreMarks) {
      value = value.replace(/đ/g, "d").normalize("NFD").replace(/[\u0300-\u036f]/g, "");
    }
    return value;
  }
  function checkedValues(form) {
    var values = [];
    each(form.querySelectorAll("input:checked"), function (input) { values.push(input.value); });
    return values.sort();
  }
  function sameList(a, b) { return a.length === b.length && a.every(function (v, i) { return v === b[i]; }); }

  /* Each returns null when nothing is answered yet, else true or false. */
  var judges = {
    choice: function (form, key) {
      var chosen = checkedValues(form);
      return chosen.length ? sameList(chosen, key.correct.slice().sort()) : null;
    },
    matching: function (form, key) {
      var selects = form.querySelectorAll("select[data-pair]");
      var answered = 0, right = 0;
      each(selects, function (select) {
        if (select.value !== "") { answered += 1; }
        if (select.value === key.pairs[Number(select.dataset.pair)]) { right += 1; }
      });
      return answered === 0 ? null : right === selects.length;
    },
    ordering: function (form, key) {
      var selects = form.querySelectorAll("select[data-item]");
      var answered = 0, right = 0;
      each(selects, function (select) {
        if (select.value !== "") { answered += 1; }
        if (select.value === key.positions[select.dataset.item]) { right += 1; }
      });
      return answered === 0 ? null : right === selects.length;
    },
    short: function (form, key) {
      var text = plain(form.querySelector("input").value, key.ignore_diacritics);
      if (!text) { return null; }
      return key.answers.some(function (answer) { return plain(answer, key.ignore_diacritics) === text; });
    },
    numeric: function (form, key) {
      var raw = form.querySelector("input").value.trim().replace(",", ".");
      if (!raw) { return null; }
      var value = Number(raw);
      if (isNaN(value)) { return false; }
      return key.ranges.some(function (range) { return value >= range[0] - 1e-9 && value <= range[1] + 1e-9; });
    }
  };
  var judgeFor = { single: "choice", multiple: "choice", true_false: "choice", matching: "matching",
                   ordering: "ordering", short: "short", numeric: "numeric" };

  function show(form, verdict) {
    var feedback = form.querySelector(".check-feedback");
    var why = form.querySelector(".check-why");
    form.classList.remove("is-right", "is-wrong");
    if (verdict === null) {
      feedback.textContent = messages.dataset.msgEmpty;
      why.hidden = true;
      return;
    }
    form.classList.add(verdict ? "is-right" : "is-wrong");
    feedback.textContent = verdict ? messages.dataset.msgRight : messages.dataset.msgWrong;
    why.hidden = false;
  }

  each(document.querySelectorAll("form[data-self-check]"), function (form) {
    var key = JSON.parse(form.dataset.answerKey || "{}");
    var judge = judges[judgeFor[form.dataset.type]];
    var button = form.querySelector("button[type=submit]");
    if (!judge || !button) { return; }
    button.hidden = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      show(form, judge(form, key));
    });
    /* A changed answer hides the old verdict, so it never describes an answer that is no longer there. */
    form.addEventListener("change", function () {
      if (form.classList.contains("is-right") || form.classList.contains("is-wrong")) {
        form.classList.remove("is-right", "is-wrong");
        form.querySelector(".check-feedback").textContent = "";
        form.querySelector(".check-why").hidden = true;
      }
    });
  });
}());
