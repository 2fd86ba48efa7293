// Quiz page behaviour: save each answer as it is given, keep unsent answers on the phone,
// count down from the seconds the server gave, and submit when the time is up.
// Without this script the page still works through plain form posts.
(function () {
  "use strict";
  var quiz = document.querySelector(".quiz");
  if (!quiz) return;
  var attemptId = quiz.dataset.attempt;
  var saveUrl = quiz.dataset.saveUrl;
  var submitUrl = quiz.dataset.submitUrl;
  var token = document.querySelector('meta[name="csrf-token"]').content;
  var storeKey = "quizapp.pending." + attemptId;
  var form = quiz.querySelector("form.question");
  var stateLine = quiz.querySelector(".save-state");
  var timer = quiz.querySelector("[data-seconds-left]");
  var msg = document.documentElement.lang.indexOf("zh") === 0
    ? { saving: "正在保存…", saved: "已保存", offline: "网络已断开：答案已保存在本机，联网后自动提交。", late: "时间已到，此答案未被计入。", submitting: "时间到，正在提交…" }
    : { saving: "Saving…", saved: "Saved", offline: "Offline: your answers are kept on this phone and sent when the network returns.", late: "Time was up; this answer did not count.", submitting: "Time is up, submitting…" };
  var started = performance.now();
  var initialLeft = timer ? Number(timer.dataset.secondsLeft) : null;
  var draining = false;
  var retryDelay = 2000;
  var submitting = false;

  function pending() {
    try { return JSON.parse(localStorage.getItem(storeKey)) || []; } catch (e) { return []; }
  }
  function store(items) {
    try { localStorage.setItem(storeKey, JSON.stringify(items)); } catch (e) { /* private mode */ }
  }
  function say(text) { if (stateLine) stateLine.textContent = text; }
  function secondsLeft() {
    if (initialLeft === null) return null;
    return Math.max(0, initialLeft - (performance.now() - started) / 1000);
  }

  function record(questionId, selected) {
    // Keep only the newest selection per question, at the end of the queue.
    var items = pending().filter(function (item) { return item.question_id !== questionId; });
    items.push({ question_id: questionId, selected: selected, seconds_left: secondsLeft() });
    store(items);
    say(msg.saving);
    drain();
  }

  function drain() {
    if (draining) return;
    var items = pending();
    if (!items.length) { maybeSubmit(); return; }
    draining = true;
    fetch(saveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify(items[0])
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        draining = false;
        if (response.status >= 500) throw new Error("server");
        var rest = pending().filter(function (item) {
          return !(item.question_id === items[0].question_id && JSON.stringify(item.selected) === JSON.stringify(items[0].selected));
        });
        store(rest);
        retryDelay = 2000;
        if (response.ok) say(msg.saved);
        else if (body.error === "too_late" || body.error === "attempt_final") say(msg.late);
        drain();
      });
    }).catch(function () {
      draining = false;
      say(msg.offline);
      setTimeout(drain, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 30000);
    });
  }

  function selectedIn(questionForm) {
    var values = [];
    questionForm.querySelectorAll('input[name="choice"]:checked').forEach(function (input) { values.push(input.value); });
    return values;
  }

  if (form) {
    var questionId = form.dataset.question;
    // Restore an answer given here that has not reached the server yet (e.g. after a reload).
    pending().forEach(function (item) {
      if (item.question_id !== questionId) return;
      form.querySelectorAll('input[name="choice"]').forEach(function (input) {
        input.checked = item.selected.indexOf(input.value) !== -1;
      });
    });
    form.addEventListener("change", function () { record(questionId, selectedIn(form)); });
    form.addEventListener("submit", function (event) {
      if (!navigator.onLine) { event.preventDefault(); say(msg.offline); }
    });
  }
  window.addEventListener("online", drain);
  window.addEventListener("offline", function () { say(msg.offline); });

  function maybeSubmit() {
    if (!submitting && timer && secondsLeft() <= 0 && !pending().length) {
      submitting = true;
      say(msg.submitting);
      var post = document.createElement("form");
      post.method = "post";
      post.action = submitUrl;
      var field = document.createElement("input");
      field.type = "hidden"; field.name = "csrf_token"; field.value = token;
      post.appendChild(field);
      document.body.appendChild(post);
      post.submit();
    }
  }

  if (timer) {
    var clock = timer.querySelector(".clock");
    var tick = function () {
      var left = Math.ceil(secondsLeft());
      clock.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      timer.classList.toggle("low", left <= 60);
      if (left <= 0) { drain(); maybeSubmit(); } else { setTimeout(tick, 1000 - ((performance.now() - started) % 1000)); }
    };
    tick();
  }
  drain();
})();
