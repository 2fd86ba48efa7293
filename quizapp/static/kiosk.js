// Kiosk mode (a shared site-office tablet): sign the person out when nobody has touched the
// page for a while, or soon after a quiz result is shown. Any tap, key or scroll restarts the
// timer and is reported to the server now and then, which signs idle sessions out by itself too.
// Saved answers are never touched; an unfinished quiz can be continued after signing in again.
(function () {
  "use strict";
  var form = document.getElementById("kiosk-signout");
  if (!form) return;
  var idle = Number(form.dataset.idleSeconds) * 1000;
  var done = document.querySelector("[data-kiosk-done-seconds]");
  if (done) idle = Math.min(idle, Number(done.dataset.kioskDoneSeconds) * 1000);
  var pingEvery = Number(form.dataset.pingSeconds) * 1000;
  var warning = document.getElementById("kiosk-warning");
  var warnFor = Math.min(20000, idle / 2);
  var lastActive = Date.now();
  var lastPing = Date.now();
  var leaving = false;
  var timer = null;

  function leave() {
    if (leaving) return;
    leaving = true;
    form.submit();
  }

  function ping() {
    lastPing = Date.now();
    fetch(form.dataset.pingUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { if (response.status === 401) window.location.reload(); })
      .catch(function () { /* offline: the server catches up at the next request */ });
  }

  function active() {
    lastActive = Date.now();
    if (warning) warning.hidden = true;
    if (lastActive - lastPing >= pingEvery) ping();
  }

  // Wall-clock time, not a countdown of ticks: a tablet that slept has its timers paused.
  function tick() {
    clearTimeout(timer);
    var left = idle - (Date.now() - lastActive);
    if (left <= 0) { leave(); return; }
    if (warning && left <= warnFor) {
      warning.textContent = warning.dataset.template.replace("{seconds}", String(Math.ceil(left / 1000)));
      warning.hidden = false;
    }
    timer = setTimeout(tick, Math.min(1000, left));
  }

  ["pointerdown", "keydown", "input", "touchstart", "wheel", "scroll"].forEach(function (name) {
    window.addEventListener(name, active, { capture: true, passive: true });
  });
  document.addEventListener("visibilitychange", function () { if (!document.hidden) tick(); });
  tick();
})();
