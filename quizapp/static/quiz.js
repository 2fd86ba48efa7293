// Quiz page: answers are kept on the phone (localStorage) as given and sent in order, with
// retries; with the attempt's paper stored (texts, choices, never the key) questions switch
// offline; at zero of the server-given countdown, unsent answers go first, then the submission.
// Without this script the forms still post.
(() => {
  "use strict";
  const quiz = document.querySelector(".quiz");
  if (!quiz || !window.fetch) return;
  const d = quiz.dataset, T = JSON.parse(d.text), order = JSON.parse(d.order), total = order.length;
  const saved = JSON.parse(d.answers); // question id → letters the server holds ("AC")
  const K = { queue: "quizapp.pending." + d.attempt, paper: "quizapp.paper." + d.attempt, refused: "quizapp.refused." + d.attempt };
  const $ = (sel, root) => (root || quiz).querySelector(sel);
  const view = $(".view"), net = $(".net"), status = $(".save-state"), refusedLine = $(".refused"), timer = $(".timer");
  const titleTail = document.title.slice(document.title.indexOf(" · "));
  const synth = window.SpeechSynthesisUtterance && window.speechSynthesis;
  const token = document.querySelector('meta[name="csrf-token"]').content, memory = {};
  let position = +d.position; // 0: the overview
  let paper = null, broken = false, draining = false, halted = false, connected = true, trouble = "";
  let delay = 2000, retry = 0, up = false, finishing = false, submitting = false, leaving = false, lastGo = "", said = "", n = 0;

  // localStorage outlives reloads and restarts; memory stands in where it is refused.
  function load(key, fallback) {
    if (!broken) try { const text = localStorage.getItem(key); return text ? JSON.parse(text) : fallback; } catch (e) { broken = true; }
    return key in memory ? memory[key] : fallback;
  }
  function keep(key, value) {
    memory[key] = value;
    if (!broken) try { value === null ? localStorage.removeItem(key) : localStorage.setItem(key, JSON.stringify(value)); } catch (e) { broken = true; }
  }
  const queue = () => load(K.queue, []);
  const fmt = (text, values) => text.replace(/\{(\w+)\}/g, (all, name) => name in values ? values[name] : all);
  const offline = () => navigator.onLine === false || !connected;
  function h(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
      if (name === "text") node.textContent = value;
      else if (value !== false && value != null) node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children || []) if (child) node.append(child);
    return node;
  }
  function fill(node, ...children) {
    node.textContent = "";
    node.append(...children);
  }
  // The newest unsent choice, else what the server holds.
  function selection(id) {
    const mine = queue().filter(item => item.question_id === id).pop();
    return mine ? mine.selected : (saved[id] || "").split("");
  }

  // The countdown: server seconds minus this page's monotonic clock, never the phone's time.
  let base = timer ? +timer.dataset.secondsLeft : null, started = performance.now(), announced = base;
  const secondsLeft = () => base === null ? null : Math.max(0, base - (performance.now() - started) / 1000);
  function tick() {
    if (!timer) return;
    const left = secondsLeft(), whole = Math.ceil(left);
    $(".clock").textContent = Math.floor(whole / 60) + ":" + String(whole % 60).padStart(2, "0");
    timer.classList.toggle("low", whole <= 60);
    for (const mark of [300, 60]) if (whole <= mark && announced > mark) { announced = mark; status.textContent = fmt(T.left, { t: mark / 60 + ":00" }); }
    clearTimeout(tick.timeout);
    if (left > 0) tick.timeout = setTimeout(tick, (left % 1) * 1000 + 20);
    else if (!up) {
      up = true;
      for (const set of view.querySelectorAll("fieldset")) set.disabled = true;
      finish();
    }
  }

  // Answers are queued first, then sent one at a time, oldest first.
  function record(id, selected) {
    const item = { question_id: id, selected, key: Date.now() + "." + n++ + Math.random() };
    if (base !== null) item.seconds_left = secondsLeft();
    keep(K.queue, queue().filter(other => other.question_id !== id).concat([item]));
    drain();
  }
  function post(url, body) {
    // A request stuck on a weak network is dropped after 20 s and tried again later.
    const abort = window.AbortController && new AbortController(), timeout = setTimeout(() => abort && abort.abort(), 20000);
    return fetch(url, {
      method: "POST", credentials: "same-origin", signal: abort ? abort.signal : undefined,
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": token },
      body: JSON.stringify(body || {}),
    }).finally(() => clearTimeout(timeout));
  }
  // Send the oldest unsent answer; then "next", "wait" (try again later) or "stop" (signed out).
  async function sendFirst() {
    const item = queue()[0];
    if (!item) return "next";
    let response;
    try {
      response = await post(d.saveUrl, { question_id: item.question_id, selected: item.selected, seconds_left: item.seconds_left });
    } catch (e) { return "wait"; }
    const answer = await response.json().catch(() => ({})), code = response.status, ok = response.ok && answer.saved;
    if (!ok && code !== 409 && !(code === 400 && answer.error !== "csrf")) return code >= 500 || code === 429 || code === 408 ? "wait" : "stop";
    const rest = queue().filter(other => other.key !== item.key);
    keep(K.queue, rest.length ? rest : null);
    if (ok) {
      saved[item.question_id] = item.selected.slice().sort().join("");
      // A sleeping phone may have paused this page's clock: the server's word wins.
      if (base !== null && answer.seconds_left < secondsLeft() - 2) { base = answer.seconds_left; started = performance.now(); }
    } else {
      // Refused for good (too late, or no such choice): remember which, to say so, and go on.
      const refused = load(K.refused, { late: [], bad: [] }), list = refused[code === 409 ? "late" : "bad"];
      if (!list.includes(item.question_id)) list.push(item.question_id);
      keep(K.refused, refused);
    }
    return "next";
  }
  // Tabs of one attempt share the queue; the lock keeps them from sending it twice.
  const exclusive = task => navigator.locks ? navigator.locks.request(K.queue, task) : task();
  async function drain() {
    if (draining || halted) return show();
    clearTimeout(retry);
    if (!queue().length) return settle();
    if (navigator.onLine === false) return show();
    draining = true;
    show();
    const next = await Promise.resolve().then(() => exclusive(sendFirst)).catch(() => "wait");
    draining = false;
    if (next === "next") { connected = true; trouble = ""; delay = 2000; return drain(); }
    stall(next);
  }
  function stall(next) {
    if (next === "stop") { halted = true; trouble = T.signin; } else {
      connected = false;
      retry = setTimeout(drain, delay);
      delay = Math.min(delay * 2, 30000);
    }
    show();
  }
  function settle() {
    show();
    if (finishing) submit();
  }
  function finish() {
    finishing = true;
    halted = false;
    drain();
  }
  // Submitted by a request, not by leaving: offline, the page and its answers stay put.
  async function submit() {
    if (submitting || leaving || navigator.onLine === false) return show();
    submitting = true;
    show();
    let next = "stop";
    try {
      const response = await post(d.submitUrl); // answered with the result, or else sign-in
      if (response.ok && response.url.endsWith(d.resultUrl)) return done();
      if (response.status >= 500) next = "wait";
    } catch (e) { next = "wait"; } finally { submitting = false; }
    stall(next);
  }
  function done() {
    const refused = load(K.refused, null);
    leaving = true;
    for (const key of Object.values(K)) keep(key, null);
    if (!refused) return location.replace(d.resultUrl);
    // Some answers did not count: say which before the result replaces this page.
    fill(view, h("h1", { tabindex: -1, text: T.done }), h("p", {}, [h("a", { class: "button primary", href: d.resultUrl, text: T.result })]));
    show(refused);
    view.firstChild.focus();
  }

  // What the page says about the connection, unsent answers and refused ones.
  function show(refused) {
    const waiting = queue().length, off = offline();
    say(trouble || (off ? (up ? T.upoff : T.offline) + (waiting ? " " + fmt(T.wait, { n: waiting }) : "") : ""), !!trouble);
    const state = leaving || off ? "" : up ? T.up : waiting ? T.saving : status.textContent === T.saving ? T.saved : null;
    if (state !== null && status.textContent !== state) status.textContent = state;
    refused = refused || load(K.refused, { late: [], bad: [] });
    const text = ["late", "bad"].filter(kind => refused[kind].length)
      .map(kind => fmt(T[kind], { list: refused[kind].map(id => fmt(T.qn, { n: order.indexOf(id) + 1 })).join(", ") })).join(" ");
    if (refusedLine.textContent !== text) refusedLine.textContent = text;
  }
  function say(text, signIn) {
    if (text !== said) fill(net, signIn ? h("a", { href: d.signinUrl, text }) : text);
    said = text;
  }

  // Moving between questions without the network, once the paper is stored.
  const fits = p => !!p && !!p.questions && p.attempt === +d.attempt && p.questions.map(q => q.id).join("\n") === order.join("\n");
  async function getPaper() {
    paper = load(K.paper, null);
    if (!fits(paper)) {
      paper = null;
      if (navigator.onLine === false) return;
      try {
        const response = await fetch(d.paperUrl, { credentials: "same-origin", headers: { Accept: "application/json" } });
        const fetched = response.ok && await response.json();
        if (!fits(fetched)) return;
        keep(K.paper, paper = fetched);
      } catch (e) { return; }
    }
    for (const q of paper.questions) if (q.image) new Image().src = q.image; // cached for offline
  }
  const questionUrl = i => d.questionUrl.replace(/0$/, i);
  const goButton = (go, text, primary) => h("button", { type: "submit", name: "go", value: go, class: primary && "primary", text });
  function questionView(i) {
    const q = paper.questions[i - 1], multiple = q.type === "multiple", chosen = selection(q.id);
    return h("form", { method: "post", class: "question", "data-question": q.id }, [
      h("input", { type: "hidden", name: "csrf_token", value: token }),
      h("button", { type: "button", class: "speak", hidden: !synth, text: T.read }),
      h("fieldset", { lang: paper.language, disabled: up }, [
        h("legend", { class: "qtext", text: q.text }),
        q.image && h("img", { class: "qimage", src: q.image, alt: q.image_alt || q.text }),
        multiple && h("p", { class: "hint", lang: document.documentElement.lang, text: T.multi }),
        ...q.choices.map(c => h("label", { class: "choice" }, [
          h("input", { type: multiple ? "checkbox" : "radio", name: "choice", value: c.value, checked: chosen.includes(c.value) }),
          c.label && h("span", { class: "letter", text: c.label }), h("span", { text: c.text })]))]),
      h("div", { class: "nav-buttons" }, [
        i > 1 && goButton("prev", T.prev), goButton("overview", T.ov),
        i < total ? goButton("next", T.next, true) : goButton("overview", T.finish, true)])]);
  }
  function overviewView() {
    const answered = order.map(id => selection(id).length > 0), done = answered.filter(Boolean).length;
    return [
      h("p", { text: fmt(T.sum, { done, total }) + " " }, [done < total && h("strong", { text: fmt(T.open, { n: total - done }) })]),
      h("ol", { class: "grid" }, answered.map((yes, i) => h("li", {}, [h("a", {
        class: "cell " + (yes ? "done" : "open"), href: questionUrl(i + 1), "aria-label": fmt(yes ? T.yes : T.no, { n: i + 1 }), text: i + 1 })]))),
      h("form", { method: "post", action: d.submitUrl, class: "submit-form" }, [
        h("input", { type: "hidden", name: "csrf_token", value: token }), h("button", { type: "submit", class: "primary", text: T.submit })])];
  }
  function render(i, moved) {
    if (synth) synth.cancel();
    const heading = i ? fmt(T.q, { n: i, total }) : T.ov;
    fill(view, h("h1", { tabindex: -1, text: heading }), ...[].concat(i ? questionView(i) : overviewView()));
    position = i;
    if (!moved) return;
    history.replaceState(history.state, "", i ? questionUrl(i) : d.overviewUrl);
    document.title = heading + titleTail;
    view.firstChild.focus(); // screen readers announce the new question; keyboards start there
    scrollTo(0, 0);
  }
  // Show question i (0: the overview) here, or let the browser load it while it can.
  function move(i, event) {
    if (i && !paper) {
      if (!offline() && !up) { leaving = true; return; }
      say(T.stuck);
    } else render(Math.max(0, Math.min(i, total)), true);
    event.preventDefault();
  }

  // Read-aloud with the phone's own speech synthesis, in the bank's language (the fieldset's).
  function readAloud(button) {
    const busy = synth.speaking || synth.pending, set = $("fieldset", view);
    synth.cancel();
    button.textContent = busy ? T.read : T.stop;
    if (busy) return;
    const parts = [set.firstElementChild, ...set.querySelectorAll(".choice")].map(part => [...part.childNodes].map(c => c.textContent.trim()).filter(Boolean).join(". "));
    parts.forEach((text, i) => {
      const utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = set.lang || document.documentElement.lang;
      if (i === parts.length - 1) utterance.onend = utterance.onerror = () => { button.textContent = T.read; };
      synth.speak(utterance);
    });
  }

  quiz.addEventListener("change", event => {
    const form = event.target.form;
    if (form && form.matches(".question") && !up) record(form.dataset.question, [...form.querySelectorAll("[name=choice]:checked")].map(i => i.value));
  });
  quiz.addEventListener("click", event => {
    const target = event.target.closest("button, a");
    if (!target) return;
    if (target.name === "go") lastGo = target.value;
    if (target.matches(".speak")) readAloud(target);
    if (target.matches(".cell")) move(+/(\d+)$/.exec(target.getAttribute("href"))[1], event);
  });
  quiz.addEventListener("submit", event => {
    if (event.target.matches(".submit-form")) { event.preventDefault(); return finish(); }
    const go = event.submitter ? event.submitter.value : lastGo || "next";
    move(go === "prev" ? position - 1 : go === "next" ? position + 1 : /^\d+$/.test(go) ? +go : 0, event);
  });
  addEventListener("online", () => {
    connected = true; halted = false; trouble = ""; delay = 2000;
    if (!paper) getPaper();
    drain();
  });
  addEventListener("offline", () => { connected = false; show(); });
  document.addEventListener("visibilitychange", () => {
    if (document.hidden) return;
    tick();
    halted = false;
    drain();
  });
  addEventListener("beforeunload", event => {
    // Offline, a reload would bring the browser's error page, not this quiz.
    if (!leaving && offline()) { event.preventDefault(); event.returnValue = ""; }
  });

  // Start: drop other attempts' papers, show unsent answers as given, then send them.
  try {
    for (const key of Object.keys(localStorage)) if (/^quizapp\.(paper|refused)\./.test(key) && key !== K.paper && key !== K.refused) localStorage.removeItem(key);
  } catch (e) { broken = true; }
  if (synth) for (const button of view.querySelectorAll(".speak")) button.hidden = false;
  if (queue().length) {
    const form = $("form.question", view);
    if (!form) render(0, false);
    else for (const input of form.querySelectorAll("[name=choice]")) input.checked = selection(form.dataset.question).includes(input.value);
  }
  getPaper();
  tick();
  drain();
})();
