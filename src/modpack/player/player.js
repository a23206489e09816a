/* modpack player: renders a module from content/module.js and reports to the LMS.
   Plain JavaScript (ES5, no framework, no network): works offline, from disk, on old phones.
   Load order: player.js, strings.js, content/module.js (which starts it). */
(function () {
  "use strict";
  var launch = window.MODPACK_LAUNCH || { standard: "none" };
  var STRINGS = {};
  var M = null;            // the module (content/module.js)
  var screens = [];        // what the learner steps through: pages and tests
  var pageHtml = {};       // page id -> {lang: html}, filled by content/pages/*.js
  var pageBlocks = {};     // page id -> {lang: [block data]}: what checks and scenarios need
  var state = { at: 0, seen: {}, tests: {}, lang: "", blocks: {} };
  var blocks = null;       // blocks.js: interactive blocks and drag and drop
  var tracker = null;      // the LMS or LRS side: scorm.js or xapi.js
  var startedAt = new Date();
  var finished = false;
  var root, main, live, pager;

  /* ---------- small helpers ---------- */
  function t(key, vars) {
    var table = STRINGS[state.lang] || STRINGS[sameLanguage(state.lang)] || STRINGS["id-ID"] || {};
    var s = table[key] || (STRINGS["id-ID"] || {})[key] || key;
    Object.keys(vars || {}).forEach(function (k) { s = s.split("{" + k + "}").join(shownNumber(vars[k])); });
    return s;
  }
  // a number as the learner's language writes it: "12,5" in Indonesian, where "12.5" reads as twelve thousand five hundred
  function shownNumber(value) {
    if (typeof value !== "number") return String(value);
    try { return value.toLocaleString(state.lang || "id-ID", { maximumFractionDigits: 2 }); } catch (e) { return String(value); }
  }
  // en-GB, en or en-AU reads the en-US table: its language, not Indonesian (as player.label does)
  function sameLanguage(lang) {
    var primary = String(lang || "").split("-")[0].toLowerCase();
    return Object.keys(STRINGS).filter(function (k) { return k.split("-")[0].toLowerCase() === primary; })[0];
  }
  // a language by its own name (Bahasa Indonesia, English): a code such as "ID" is read out letter by letter
  function languageName(lang) {
    var primary = String(lang).split("-")[0];
    if (primary.toLowerCase() === "id") return "Bahasa Indonesia";
    try { var name = new Intl.DisplayNames([lang], { type: "language" }).of(primary); if (name) return name.charAt(0).toUpperCase() + name.slice(1); } catch (e) { /* an old browser */ }
    return primary.toUpperCase();
  }
  function tx(map) {
    if (!map) return "";
    if (typeof map === "string") return map;
    return map[state.lang] || map[M.languages[0]] || map[Object.keys(map)[0]] || "";
  }
  function el(tag, attrs, kids) {
    var node = document.createElement(tag);
    var a = attrs || {};
    Object.keys(a).forEach(function (k) {
      if (a[k] === null || a[k] === undefined || a[k] === false) return;
      if (k === "html") node.innerHTML = a[k];
      else if (k === "text") node.textContent = a[k];
      else if (k.slice(0, 2) === "on") node.addEventListener(k.slice(2), a[k]);
      else node.setAttribute(k, a[k] === true ? "" : a[k]);
    });
    (kids || []).forEach(function (c) { if (c) node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }
  var saying = null; // a newer message replaces one not yet said: the learner hears where things are now
  function say(message) {
    clearTimeout(saying); live.textContent = "";
    saying = setTimeout(function () { live.textContent = message; }, 30);
  }
  function rng(seed) { // mulberry32: the same seed draws the same questions after a resume
    return function () {
      seed = (seed + 0x6D2B79F5) | 0;
      var x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
      return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
    };
  }
  /* Answer keys travel sealed (package/answers.py): XOR-ed with a keystream from the package's salt
     and the question's id. It keeps answers out of plain sight; it is not a lock. */
  function stream(seed) {
    return function () {
      seed = (seed + 0x6D2B79F5) | 0;
      var x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
      return ((x ^ (x >>> 14)) >>> 0) >>> 24;
    };
  }
  function seedOf(text) { // FNV-1a
    var h = 0x811c9dc5;
    for (var i = 0; i < text.length; i++) { h ^= text.charCodeAt(i); h = Math.imul(h, 0x01000193); }
    return h >>> 0;
  }
  function key(q) {
    if (q.k === undefined) return q; // written before keys were sealed
    if (!q.open) {
      var next = stream(seedOf(M.salt + ":" + q.id)), raw = atob(q.k), out = "";
      for (var i = 0; i < raw.length; i++) out += String.fromCharCode(raw.charCodeAt(i) ^ next());
      q.open = JSON.parse(decodeURIComponent(escape(out))); // the bytes are UTF-8
    }
    return q.open;
  }
  function shuffled(list, random) {
    var out = list.slice();
    for (var i = out.length - 1; i > 0; i--) {
      var j = Math.floor(random() * (i + 1)), tmp = out[i]; out[i] = out[j]; out[j] = tmp;
    }
    return out;
  }
  function plain(html) { // an inert document: no image in the HTML starts loading
    return new DOMParser().parseFromString(html, "text/html").body.textContent || "";
  }
  function pad(n, w) { n = String(n); while (n.length < w) n = "0" + n; return n; }

  /* ---------- what the unit holds ---------- */
  function buildScreens() {
    var wanted = launch.lessons;
    if (M.preTest && (launch.preTest === undefined || launch.preTest === M.preTest.id)) {
      screens.push({ kind: "test", test: M.preTest, role: "pre" });
    }
    M.lessons.forEach(function (lesson) {
      if (wanted && wanted.indexOf(lesson.id) < 0) return;
      lesson.pages.forEach(function (page) { screens.push({ kind: "page", lesson: lesson, page: page }); });
      if (lesson.quiz) screens.push({ kind: "test", test: lesson.quiz, role: "quiz", lesson: lesson });
    });
    if (M.postTest && (launch.postTest === undefined || launch.postTest === M.postTest.id)) {
      screens.push({ kind: "test", test: M.postTest, role: "post" });
    }
    // the certificate ends the unit that ends the module: the one with the post-test, or the last lesson
    var last = M.lessons[M.lessons.length - 1];
    var ends = M.postTest ? screens.some(function (s) { return s.role === "post"; })
      : screens.some(function (s) { return s.kind === "page" && s.lesson === last; });
    if (M.certificate && ends) screens.push({ kind: "certificate" });
  }
  function pages() { return screens.filter(function (s) { return s.kind === "page"; }); }
  function postTest() { var s = screens.filter(function (x) { return x.role === "post"; })[0]; return s && s.test; }

  /* ---------- suspend data: compact, under 4,096 characters even for 200 pages and 50 questions ---------- */
  function seenBits() {
    var list = pages(), hex = "", nibble = 0;
    for (var i = 0; i < list.length; i++) {
      if (state.seen[list[i].page.id]) nibble |= 1 << (i % 4);
      if (i % 4 === 3 || i === list.length - 1) { hex += nibble.toString(16); nibble = 0; }
    }
    return hex;
  }
  function readBits(hex) {
    pages().forEach(function (s, i) {
      var nibble = parseInt(hex.charAt(Math.floor(i / 4)) || "0", 16);
      if (nibble & (1 << (i % 4))) state.seen[s.page.id] = true;
    });
  }
  // limit: the LMS's (SCORM 1.2: 4,096 characters; 2004: 64,000; 0: none). Over it, step by step:
  // a submitted attempt's long written answers are cut to a stand-in judged as the answer was (a
  // right one: the shortest accepted answer; a wrong one: its start, with "…"), so its score,
  // review and objectives come back whole; then unsubmitted written answers are cut, shorter each
  // step; then the blocks' state. What the LMS cannot take is never sent: a refused value would
  // hold back every later commit. serial: the tracker's count of what it saved, so that a later
  // launch knows which of the journal's items the LMS already has.
  var LONG = 24;
  function testById(id) { var s = screens.filter(function (x) { return x.test && x.test.id === id; })[0]; return s && s.test; }
  function standIn(view, a, keep) { // a shorter answer judged as ``a`` is, or ``a`` itself
    if (typeof a !== "string" || a.length <= keep) return a;
    var right = isCorrect(view, a), candidates = [];
    if (right && view.q.type === "fill-in") {
      key(view.q).accepted.forEach(function (map) { Object.keys(map).forEach(function (l) { candidates.push(map[l]); }); });
      candidates.sort(function (x, y) { return x.length - y.length; });
    }
    if (!right) candidates.push(a.slice(0, keep) + "\u2026");
    for (var i = 0; i < candidates.length; i++) {
      if (candidates[i].length < a.length && isCorrect(view, candidates[i]) === right) return candidates[i];
    }
    return a;
  }
  function suspendData(limit, serial) {
    function encode(step) {
      var tests = {};
      Object.keys(state.tests).forEach(function (id) {
        var r = state.tests[id], test = testById(id), x = r.x;
        var keep = r.d ? LONG : [Infinity, Infinity, 200, 100, 50, LONG, 0, 0][step]; // the last: no blocks' state either
        if (step > 0 && test && x.some(function (a) { return typeof a === "string" && a.length > keep; })) {
          var views = drawn(test, r);
          x = x.map(function (a, i) { return !views[i] ? a : r.d ? standIn(views[i], a, keep) : typeof a === "string" && a.length > keep ? (keep ? a.slice(0, keep) : "") : a; });
        }
        tests[id] = { a: r.a, b: r.b, p: r.p ? 1 : 0, r: r.r, d: r.d ? 1 : 0, x: x };
      });
      var data = { v: 1, at: state.at, l: state.lang, s: seenBits(), t: tests };
      if (serial) data.j = serial;
      if (blocks && step < 7) { var k = blocks.encode(pages().map(function (s) { return s.page; })); if (/[^A]/.test(k)) data.k = k; }
      return JSON.stringify(data);
    }
    for (var step = 0; step < 8; step++) {
      var data = encode(step);
      if (!limit || data.length <= limit) return data;
    }
    return ""; // nothing that fits: the LMS keeps what it had, and this device's journal the rest
  }
  function save() {
    if (tracker.tracking() && !finished) tracker.save(state.at);
  }
  function report(force) {
    if (tracker.tracking() && !finished) tracker.status(status(), force);
  }
  function restore() {
    var raw = tracker.load();
    if (!raw) return false;
    try {
      var data = JSON.parse(raw);
      state.at = Math.min(Math.max(0, data.at | 0), screens.length - 1);
      if (data.l && M.languages.indexOf(data.l) >= 0) state.lang = data.l;
      readBits(data.s || "");
      if (data.k && blocks) blocks.decode(pages().map(function (s) { return s.page; }), data.k);
      Object.keys(data.t || {}).forEach(function (id) {
        var r = data.t[id];
        state.tests[id] = { a: r.a | 0, b: r.b, p: !!r.p, r: r.r, d: !!r.d, x: r.x || [] };
      });
      return true;
    } catch (e) { return false; }
  }

  /* ---------- questions: drawing, answers, scoring ---------- */
  function record(test) {
    if (!state.tests[test.id]) state.tests[test.id] = { a: 0, b: null, p: false, r: newSeed(), d: false, x: [] };
    return state.tests[test.id];
  }
  function newSeed() { return Math.floor(Math.random() * 2147483647); }
  function drawn(test, rec) {
    var random = rng(rec.r);
    var list = test.questions.slice();
    (test.pools || []).forEach(function (pool) { list = list.concat(shuffled(pool.questions, random).slice(0, pool.draw)); });
    return list.map(function (q, i) {
      var order = rng(rec.r + i + 1);
      var view = { q: q };
      if (q.choices) view.choices = test.shuffle_choices ? shuffled(q.choices, order) : q.choices;
      if (q.targets) view.targets = test.shuffle_choices ? shuffled(q.targets, order) : q.targets;
      if (q.items) {
        view.start = shuffled(q.items.map(function (_, k) { return k; }), order);
        if (view.start.join() === rightOrder(q).join() && q.items.length > 1) view.start.reverse();
      }
      return view;
    });
  }
  // A number as the learner writes it: Indonesian "1.000", "1.000,5", "Rp 2.500", "3,5"; English
  // "1,000", "1,000.5". Both separators: the last is the decimal one. One kind only: the locale's
  // thousands separator in groups of three is grouping, otherwise that mark is the decimal point.
  function numberFrom(text, lang) {
    var s = String(text === undefined || text === null ? "" : text).replace(/^\s*(rp\.?|idr|\$)\s*/i, "")
      .replace(/[\s\u00a0\u202f']/g, "");
    if (!/^-?[0-9.,]*[0-9][0-9.,]*$/.test(s)) return NaN;
    var english = String(lang || state.lang || "").toLowerCase().indexOf("en") === 0;
    var group = english ? "," : ".", point = english ? "." : ",";
    var lastDot = s.lastIndexOf("."), lastComma = s.lastIndexOf(",");
    if (lastDot >= 0 && lastComma >= 0) { point = lastDot > lastComma ? "." : ","; group = point === "." ? "," : "."; }
    else if (s.indexOf(point) < 0 && s.indexOf(group) >= 0) {
      var grouped = new RegExp("^-?\\d{1,3}(\\" + group + "\\d{3})+$");
      if (!grouped.test(s)) { point = group; group = point === "." ? "," : "."; }
    }
    var parts = s.split(point);
    if (parts.length > 2) return NaN;
    var whole = parts[0];
    if (whole.indexOf(group) >= 0 && !new RegExp("^-?\\d{1,3}(\\" + group + "\\d{3})+$").test(whole)) return NaN;
    whole = whole.split(group).join("");
    if (parts.length === 2 && !/^\d+$/.test(parts[1])) return NaN;
    return Number(whole + (parts.length === 2 ? "." + parts[1] : ""));
  }
  function normal(text, caseSensitive) {
    var s = String(text || "").replace(/\s+/g, " ").trim();
    return caseSensitive ? s : s.toLowerCase();
  }
  function answered(view, a) {
    var q = view.q;
    if (a === undefined || a === null || a === "") return false;
    if (q.type === "multiple-response") return a.length > 0;
    if (q.type === "matching" || q.type === "categorize") return a.some(function (x) { return x !== null && x !== undefined && x >= 0; });
    return true;
  }
  // the items of an ordering question in their right order (indexes into q.items)
  function rightOrder(q) { return key(q).order || q.items.map(function (_, k) { return k; }); }
  function isCorrect(view, a) {
    var q = view.q, K = key(q);
    if (!answered(view, a)) return false;
    switch (q.type) {
      case "single-choice": return q.choices[a] && q.choices[a].id === K.correct;
      case "multiple-response":
        var picked = a.map(function (i) { return q.choices[i].id; }).sort();
        return picked.join("\n") === K.correct.slice().sort().join("\n");
      case "true-false": return (a === 1) === K.correct;
      case "fill-in":
        return K.accepted.some(function (map) {
          return Object.keys(map).some(function (l) { return normal(map[l], q.case_sensitive) === normal(a, q.case_sensitive); });
        });
      case "matching":
        return q.sources.every(function (s, i) { return a[i] >= 0 && q.targets[a[i]] && q.targets[a[i]].id === K.correct[s.id]; });
      case "categorize":
        return q.items.every(function (s, i) { return a[i] >= 0 && q.categories[a[i]] && q.categories[a[i]].id === K.correct[s.id]; });
      case "ordering": return a.join() === rightOrder(q).join();
      case "numeric":
        var n = numberFrom(a);
        if (isNaN(n)) return false;
        return K.correct !== undefined ? Math.abs(n - K.correct) < 1e-9 : n >= K.min && n <= K.max;
    }
    return false;
  }
  function scoreOf(views, answers) {
    var got = 0, total = 0;
    views.forEach(function (v, i) { total += v.q.points; if (isCorrect(v, answers[i])) got += v.q.points; });
    return total ? Math.round((got / total) * 10000) / 100 : 0;
  }

  /* ---------- status: the module's completion rule, for this unit ---------- */
  function pagesDone() {
    var list = pages();
    if (!list.length) return true;
    var seen = list.filter(function (s) { return state.seen[s.page.id]; }).length;
    return seen * 100 >= list.length * M.completion.pages_percent;
  }
  function status() {
    var post = postTest(), rules = M.completion.requires;
    var rec = post && state.tests[post.id];
    var needPages = rules.indexOf("pages") >= 0 || !post;
    var needTest = !!post && rules.indexOf("post-test") >= 0;
    var tested = !!(rec && rec.b !== null && rec.b !== undefined);
    var passed = !!(rec && rec.p);
    var outOfTries = !!(rec && post.attempts && rec.a >= post.attempts);
    var pre = screens.filter(function (s) { return s.role === "pre"; })[0];
    var preOnly = pre && screens.length === 1;
    var complete = preOnly ? !!(state.tests[pre.test.id] && state.tests[pre.test.id].a)
      : (!needPages || pagesDone()) && (!needTest || passed || outOfTries);
    var practice = post ? null : checksScore();
    return {
      complete: complete,
      success: post && tested ? (passed ? "passed" : "failed") : "unknown",
      outOfTries: outOfTries,
      score: post && tested ? rec.b : practice,
      attempts: rec ? rec.a : 0,
      passFail: !!post && M.completion.report === "passed-failed",
      progress: pages().length ? pages().filter(function (s) { return state.seen[s.page.id]; }).length / pages().length : (complete ? 1 : 0)
    };
  }
  function checksScore() { // scored knowledge checks: the unit's score when it has no post-test
    var total = 0, right = 0;
    pages().forEach(function (s) {
      (s.page.blocks || []).forEach(function (kind, k) {
        if (kind !== "scored-check") return;
        total += 1;
        if (((state.blocks[s.page.id] || [])[k] || 0) & 4) right += 1;
      });
    });
    return total ? Math.round((right / total) * 10000) / 100 : null;
  }
  /* ---------- rendering ---------- */
  function shell() {
    root = document.getElementById("modpack");
    root.innerHTML = "";
    document.documentElement.lang = state.lang;
    document.title = tx(M.title);
    var toc = el("nav", { id: "mp-toc", "aria-label": t("contents"), hidden: true });
    var tocButton = el("button", { type: "button", "class": "mp-menu", "aria-expanded": "false", "aria-controls": "mp-toc",
      onclick: function () {
        var open = toc.hasAttribute("hidden");
        if (open) { toc.removeAttribute("hidden"); fillToc(toc); } else toc.setAttribute("hidden", "");
        tocButton.setAttribute("aria-expanded", open ? "true" : "false");
        if (open) { var first = toc.querySelector("[aria-current]") || toc.querySelector("button"); if (first) first.focus(); }
      } }, [t("contents")]);
    var theme = M.theme || {};
    if (theme.primary) { document.documentElement.style.setProperty("--p", theme.primary); document.documentElement.style.setProperty("--pd", theme.primary); }
    if (theme.font) document.documentElement.style.setProperty("--font", theme.font);
    var bar = el("div", { "class": "mp-bar" }, [
      tocButton,
      theme.logo ? el("img", { "class": "mp-logo", src: theme.logo, alt: tx(M.institution) || "" }) : null,
      el("p", { "class": "mp-title", text: tx(M.title) }),
      displayControls()
    ]);
    if (M.languages.length > 1) {
      var select = el("select", { id: "mp-lang", onchange: function () {
        chooseLanguage(select.value); save(); shell(); show(state.at, true);
        // the whole player was redrawn: focus back on the language box, not lost to the page's top
        var again = document.getElementById("mp-lang");
        if (again) again.focus();
        say(languageName(state.lang));
      } });
      M.languages.forEach(function (l) { select.appendChild(el("option", { value: l, lang: l, selected: l === state.lang, text: languageName(l) })); });
      bar.appendChild(el("div", { "class": "mp-lang" }, [el("label", { "for": "mp-lang", text: t("language") }), select]));
    }
    var progress = el("div", { "class": "mp-progress" }, [
      el("progress", { id: "mp-progress", max: "1", value: "0", "aria-label": t("progress") }),
      el("span", { id: "mp-count", "aria-hidden": "true" })
    ]);
    var header = el("header", {}, [bar, progress]); // the progress too lies in a landmark, where it is looked for
    main = el("main", { id: "mp-main", tabindex: "-1" });
    main.addEventListener("click", function (event) { // a link to another page of the module: go there
      var link = event.target && event.target.closest ? event.target.closest("a[href^='#mp-page-']") : null;
      if (!link) return;
      event.preventDefault();
      var id = link.getAttribute("href").slice("#mp-page-".length);
      for (var i = 0; i < screens.length; i++) {
        if (screens[i].kind === "page" && screens[i].page.id === id) return show(i);
      }
      say(t("pageElsewhere")); // in another SCO or AU of the module: the LMS opens it, not this one
      if (!link.nextSibling || !link.nextSibling.className || link.nextSibling.className !== "mp-note") {
        link.parentNode.insertBefore(el("span", { "class": "mp-note", text: " (" + t("pageElsewhere") + ")" }), link.nextSibling);
      }
    });
    pager = el("nav", { "class": "mp-pager", "aria-label": t("next") + " / " + t("previous") });
    live = el("p", { "class": "mp-live", role: "status", "aria-live": "polite" });
    root.appendChild(el("a", { "class": "mp-skip", href: "#mp-main", text: t("skip") }));
    root.appendChild(header);
    root.appendChild(toc);
    root.appendChild(main);
    root.appendChild(pager);
    root.appendChild(live);
    savingNote = el("p", { "class": "mp-saving", role: "status", hidden: !Object.keys(unsavedBy).length,
      text: Object.keys(unsavedBy).length ? t("notSaved") : "" });
    root.appendChild(savingNote);
    noteRoom();
    if (!tracker.tracking()) {
      root.appendChild(el("p", { "class": "mp-note", text: t(tracker.ended && tracker.ended() ? "sessionEnded" : "notTracking") }));
    }
  }
  /* ---------- the learner's display: text size and dark mode, kept on this device ---------- */
  var SIZES = [100, 112.5, 125, 150];
  function display(change) {
    var d = {};
    try { d = JSON.parse(localStorage.getItem("modpack.display") || "{}") || {}; } catch (e) { d = {}; }
    if (change) { change(d); try { localStorage.setItem("modpack.display", JSON.stringify(d)); } catch (e) { /* private */ } }
    var size = Math.max(0, Math.min(SIZES.length - 1, d.size | 0));
    document.documentElement.style.fontSize = SIZES[size] + "%";
    document.documentElement.setAttribute("data-mode", d.dark ? "dark" : "light");
    return { size: size, dark: !!d.dark };
  }
  function displayControls() {
    var now = display();
    function named(text, label) { // a short sign for the eye, its name for a screen reader
      return [el("span", { "aria-hidden": "true", text: text }), el("span", { "class": "mp-sr", text: t(label) })];
    }
    var dark = el("button", { type: "button", "class": "mp-dark", "aria-pressed": now.dark ? "true" : "false",
      onclick: function () { var d = display(function (x) { x.dark = !x.dark; }); dark.setAttribute("aria-pressed", d.dark ? "true" : "false"); } },
      named("◐", "darkMode"));
    function sized(delta, label, text) {
      return el("button", { type: "button", "class": delta < 0 ? "mp-smaller" : "mp-larger", onclick: function () {
        var d = display(function (x) { x.size = Math.max(0, Math.min(SIZES.length - 1, (x.size | 0) + delta)); });
        say(t("textSize", { size: SIZES[d.size] }));
      } }, named(text, label));
    }
    return el("div", { "class": "mp-display", role: "group", "aria-label": t("display") },
      [sized(-1, "smallerText", "A−"), sized(1, "largerText", "A+"), dark]);
  }
  function fillToc(toc) {
    toc.innerHTML = "";
    var list = el("ol");
    var current = null;
    screens.forEach(function (s, i) {
      var group = s.kind === "page" ? s.lesson.id : s.kind === "test" ? s.test.id : "certificate";
      if (s.kind === "page" && current !== group) {
        current = group;
        list.appendChild(el("li", { "class": "mp-toc-lesson" }, [el("span", { text: tx(s.lesson.title) })]));
      }
      var label = s.kind === "page" ? tx(s.page.title) : s.kind === "test" ? testTitle(s) : t("certificate");
      var done = s.kind === "page" ? state.seen[s.page.id] : s.kind === "test" ? (state.tests[s.test.id] || {}).a : status().complete;
      var button = el("button", { type: "button", "aria-current": i === state.at ? "page" : null,
        onclick: function () { toc.setAttribute("hidden", ""); root.querySelector(".mp-menu").setAttribute("aria-expanded", "false"); show(i); } },
        [label, done ? el("span", { "class": "mp-done", "aria-hidden": "true", text: " ✓" }) : null,
          done ? el("span", { "class": "mp-sr", text: " (" + t("viewed") + ")" }) : null]);
      list.appendChild(el("li", {}, [button]));
    });
    toc.appendChild(list);
  }
  function testTitle(s) {
    return tx(s.test.title) || t(s.role === "pre" ? "preTest" : s.role === "post" ? "postTest" : "quiz");
  }
  function loadPage(page, done) {
    if (pageHtml[page.id]) return done();
    var script = document.createElement("script");
    script.src = page.src;
    script.onload = done;
    script.onerror = done;
    document.head.appendChild(script);
  }
  function show(index, keepFocus) {
    state.at = Math.max(0, Math.min(index, screens.length - 1));
    var s = screens[state.at];
    var draw = function () {
      main.innerHTML = "";
      if (s.kind === "page") renderPage(s); else if (s.kind === "test") renderTest(s); else renderCertificate();
      main.setAttribute("data-at", String(state.at)); // drawn: what tests and support tools wait for
      renderPager();
      showProgress();
      if (!keepFocus) { var h = main.querySelector("h1"); if (h) h.focus(); }
      window.scrollTo(0, 0);
      report();
    };
    if (s.kind === "page") {
      loadPage(s.page, function () {
        state.seen[s.page.id] = true;
        if (tracker.tracking() && tracker.viewed) tracker.viewed(s.lesson, s.page);
        draw();
      });
    } else draw();
  }
  // Pages seen of the unit's pages; a unit of tests alone (a pre- or post-test SCO) counts its questions.
  function showProgress() {
    var list = pages(), done = list.filter(function (x) { return state.seen[x.page.id]; }).length, total = list.length, text;
    if (total) text = t("pagesRead", { n: done, total: total }); // pages read, unlike the pager's screens
    else {
      screens.forEach(function (s) {
        if (s.kind !== "test") return;
        var rec = record(s.test), views = drawn(s.test, rec);
        total += views.length;
        done += rec.d ? views.length : views.filter(function (v, i) { // an order left as shown is not an answer yet
          return answered(v, rec.x[i]) && !(v.start && rec.x[i].join() === v.start.join());
        }).length;
      });
      text = t("answeredOf", { n: done, total: total });
    }
    var bar = document.getElementById("mp-progress");
    bar.value = total ? done / total : 1;
    bar.setAttribute("aria-valuetext", text);
    document.getElementById("mp-count").textContent = text;
  }
  function renderPage(s) {
    var page = s.page;
    main.appendChild(el("p", { "class": "mp-eyebrow", text: tx(s.lesson.title) }));
    main.appendChild(el("h1", { tabindex: "-1", text: tx(page.title) }));
    var body = el("div", { "class": "mp-body", html: tx(pageHtml[page.id]) });
    main.appendChild(body);
    if (blocks) blocks.enhance(body, page, tx(pageBlocks[page.id]) || []);
    if (page.audio) {
      var audio = page.audio;
      main.appendChild(el("figure", { "class": "mp-media" }, [
        el("audio", { controls: true, preload: "none", src: audio.file, "aria-label": tx(audio.title) || null }),
        audio.title ? el("figcaption", { text: tx(audio.title) }) : null,
        audio.transcript ? el("details", {}, [el("summary", { text: t("transcript") }), el("p", { text: tx(audio.transcript) })]) : null
      ]));
    }
    if (page.video) {
      var v = page.video;
      var video = el("video", { controls: true, preload: "none", poster: v.poster || null, src: v.file || v.url, "aria-label": tx(v.title) || null });
      Object.keys(v.captions || {}).forEach(function (l) {
        video.appendChild(el("track", { kind: "captions", srclang: l.split("-")[0], label: l, src: v.captions[l], "default": l === state.lang }));
      });
      main.appendChild(el("figure", { "class": "mp-media" }, [video,
        v.title ? el("figcaption", { text: tx(v.title) }) : null,
        v.url ? el("p", { "class": "mp-note", text: t("videoOnline") }) : null]));
    }
    if (page.attachments && page.attachments.length) {
      var list = el("ul", { "class": "mp-files" });
      page.attachments.forEach(function (a) { list.appendChild(el("li", {}, [el("a", { href: a.file, download: "", text: tx(a.title) })])); });
      main.appendChild(el("section", { "aria-label": t("downloads") }, [el("h2", { text: t("downloads") }), list]));
    }
  }
  function renderCertificate() {
    main.appendChild(el("h1", { tabindex: "-1", text: t("certificate") }));
    if (!status().complete) { main.appendChild(el("p", { text: t("certificateLater") })); return; }
    var name = tracker.tracking() && tracker.learner ? tracker.learner() : "";
    var theme = M.theme || {}, lang = state.lang;
    var date = new Date().toLocaleDateString(lang, { day: "numeric", month: "long", year: "numeric" });
    var box = el("section", { "class": "mp-certificate", "aria-label": t("certificate") }, [
      theme.logo ? el("img", { "class": "mp-logo", src: theme.logo, alt: tx(M.institution) || "" }) : null,
      M.institution ? el("p", { text: tx(M.institution) }) : null,
      el("h2", { text: t("certificateTitle") }),
      el("p", { text: t("certificateGivenTo") }),
      name ? el("p", { "class": "mp-name", text: name })
        : el("p", {}, [el("label", { "class": "mp-sr", "for": "mp-name", text: t("yourName") }),
          el("input", { id: "mp-name", type: "text", placeholder: t("yourName"), autocomplete: "name" })]),
      el("p", { text: t("certificateFor", { jp: M.jp }) }),
      el("p", { "class": "mp-name", text: tx(M.title) }),
      el("p", { text: date }),
      el("button", { type: "button", "class": "mp-primary", onclick: function () { window.print(); } }, [t("print")])
    ]);
    main.appendChild(box);
  }
  function renderPager() {
    pager.innerHTML = "";
    var last = state.at === screens.length - 1;
    pager.appendChild(el("button", { type: "button", "class": "mp-prev", disabled: state.at === 0,
      onclick: function () { show(state.at - 1); } }, [t("previous")]));
    pager.appendChild(el("span", { "class": "mp-where", text: t("pageOf", { n: state.at + 1, total: screens.length }) }));
    pager.appendChild(el("button", { type: "button", "class": "mp-next mp-primary",
      onclick: function () { if (last) finish(); else show(state.at + 1); } }, [last ? t("finish") : t("next")]));
  }

  /* ---------- tests ---------- */
  function renderTest(s) {
    var test = s.test, rec = record(test), views = drawn(test, rec);
    var started = new Date();
    main.appendChild(el("h1", { tabindex: "-1", text: testTitle(s) }));
    var facts = [t("questionsInfo", { count: views.length })];
    if (s.role !== "pre" && test.pass_mark) facts.push(t("passMarkInfo", { mark: test.pass_mark }));
    if (test.attempts) facts.push(t("attemptsInfo", { used: Math.min(rec.a + (rec.d ? 0 : 1), test.attempts), max: test.attempts }));
    main.appendChild(el("p", { "class": "mp-facts", text: facts.join(" · ") }));
    var form = el("form", { "class": "mp-test", novalidate: true });
    views.forEach(function (view, i) { form.appendChild(renderQuestion(test, view, i, rec)); });
    var result = el("div", { "class": "mp-result", tabindex: "-1" });
    form.appendChild(el("button", { type: "submit", "class": "mp-primary", disabled: rec.d }, [t("submit")]));
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (rec.d) return;
      var missing = views.filter(function (v, i) { return !answered(v, rec.x[i]); }).length;
      if (missing && !window.confirm(t("unanswered", { count: missing }))) return;
      var score = scoreOf(views, rec.x);
      rec.a += 1; rec.d = true;
      rec.b = rec.b === null || rec.b === undefined ? score : Math.max(rec.b, score); // the best attempt counts
      rec.p = rec.p || s.role === "pre" || score >= test.pass_mark;
      if (tracker.tracking()) tracker.answered(test, views, rec.x, started);
      show(state.at, true);
      var box = main.querySelector(".mp-result");
      if (box) box.focus();
      report(true);
    });
    main.appendChild(form);
    main.appendChild(result);
    if (rec.d) renderResult(s, test, rec, views, result);
  }
  function renderResult(s, test, rec, views, box) {
    var score = scoreOf(views, rec.x);
    var passed = s.role === "pre" || score >= test.pass_mark;
    var lines = [el("p", { "class": "mp-score", text: t("score", { score: score }) + (s.role === "pre" ? "" : " — " + t(passed ? "passed" : "failed")) })];
    var canRetry = !passed || s.role === "quiz";
    if (test.attempts && rec.a >= test.attempts) { canRetry = false; if (!passed) lines.push(el("p", { text: t("noAttemptsLeft") })); }
    if (s.role === "pre") canRetry = false;
    if (canRetry) {
      lines.push(el("button", { type: "button", onclick: function () {
        rec.d = false; rec.x = []; rec.r = newSeed(); save(); show(state.at);
      } }, [t("tryAgain")]));
    }
    box.className = "mp-result " + (passed ? "mp-ok" : "mp-bad");
    lines.forEach(function (l) { box.appendChild(l); });
    say(t("score", { score: score }) + (s.role === "pre" ? "" : ". " + t(passed ? "passed" : "failed")));
  }
  function renderQuestion(test, view, i, rec) {
    var q = view.q, id = "q-" + test.id + "-" + i, a = rec.x[i], locked = rec.d;
    var set = el("fieldset", { "class": "mp-q", id: id, "data-question": q.id, "aria-describedby": id + "-p" }, [
      el("legend", { text: t("question", { n: i + 1 }) }),
      el("div", { "class": "mp-prompt", id: id + "-p", html: tx(q.prompt) })
    ]);
    function store(value) { rec.x[i] = value; save(); if (!pages().length) showProgress(); }
    function option(type, name, value, label, checked, onchange) {
      var input = el("input", { type: type, id: name + "-" + value, name: name, value: String(value), checked: checked, disabled: locked, onchange: onchange });
      return el("div", { "class": "mp-option" }, [input, el("label", { "for": name + "-" + value, html: label })]);
    }
    if (q.type === "single-choice" || q.type === "multiple-response") {
      var multi = q.type === "multiple-response";
      view.choices.forEach(function (c) {
        var k = q.choices.indexOf(c);
        var checked = multi ? (a || []).indexOf(k) >= 0 : a === k;
        set.appendChild(option(multi ? "checkbox" : "radio", id, k, tx(c.text), checked, function (e) {
          if (!multi) return store(k);
          var now = (rec.x[i] || []).filter(function (x) { return x !== k; });
          if (e.target.checked) now.push(k);
          store(now.sort());
        }));
      });
    } else if (q.type === "true-false") {
      [1, 0].forEach(function (v) { set.appendChild(option("radio", id, v, t(v ? "true" : "false"), a === v, function () { store(v); })); });
    } else if (q.type === "fill-in" || q.type === "numeric") {
      var input = el("input", { type: "text", id: id + "-in", value: a || "", disabled: locked, autocomplete: "off",
        inputmode: q.type === "numeric" ? "decimal" : null, oninput: function () { store(input.value.slice(0, 250)); } });
      set.appendChild(el("div", { "class": "mp-field" }, [el("label", { "for": id + "-in", text: t("answer") }), input,
        q.unit ? el("span", { "class": "mp-unit", text: tx(q.unit) }) : null]));
    } else if ((q.type === "matching" || q.type === "categorize") && blocks) {
      var items = q.type === "matching" ? q.sources : q.items, places = q.type === "matching" ? view.targets : q.categories;
      var order = places.map(function (p) { return (q.targets || q.categories).indexOf(p); });
      var given = (a || items.map(function () { return -1; })).map(function (p) { return p < 0 ? -1 : order.indexOf(p); });
      blocks.buckets(set, items, places, given, q.type === "matching", locked, function (now) {
        store(now.map(function (p) { return p < 0 ? -1 : order[p]; }));
      });
    } else if (q.type === "matching") {
      q.sources.forEach(function (src, k) {
        var select = el("select", { id: id + "-s" + k, disabled: locked, onchange: function () {
          var now = (rec.x[i] || q.sources.map(function () { return -1; })).slice();
          now[k] = select.value === "" ? -1 : parseInt(select.value, 10);
          store(now);
        } }, [el("option", { value: "", text: t("choose") })]);
        view.targets.forEach(function (target) {
          var ti = q.targets.indexOf(target);
          select.appendChild(el("option", { value: String(ti), selected: a && a[k] === ti, text: plain(tx(target.text)) }));
        });
        set.appendChild(el("div", { "class": "mp-field" }, [el("label", { "for": id + "-s" + k, html: tx(src.text) }), select]));
      });
    } else if (q.type === "ordering") {
      var order = a && a.length === q.items.length ? a : view.start;
      if (!a) rec.x[i] = order.slice();
      var list = el("ol", { "class": "mp-order" });
      var draw = function (focusKey) {
        list.innerHTML = "";
        rec.x[i].forEach(function (k, pos) {
          var label = plain(tx(q.items[k].text));
          var move = function (delta, key) {
            return function () {
              var now = rec.x[i].slice(), j = pos + delta, tmp = now[pos];
              now[pos] = now[j]; now[j] = tmp; store(now); draw(key + k);
              say(t("moved", { item: label, n: j + 1 }));
            };
          };
          list.appendChild(el("li", { "data-item": String(k), "data-id": q.items[k].id }, [el("span", { html: tx(q.items[k].text) }),
            el("span", { "class": "mp-moves" }, [
              el("button", { type: "button", "data-key": "u" + k, "aria-label": t("moveUp", { item: label }), disabled: locked || pos === 0, onclick: move(-1, "u") }, ["↑"]),
              el("button", { type: "button", "data-key": "d" + k, "aria-label": t("moveDown", { item: label }), disabled: locked || pos === rec.x[i].length - 1, onclick: move(1, "d") }, ["↓"])
            ])]));
        });
        if (focusKey) {
          var target = list.querySelector('[data-key="' + focusKey + '"]');
          if (!target || target.disabled) target = list.querySelector('[data-key="' + (focusKey.charAt(0) === "u" ? "d" : "u") + focusKey.slice(1) + '"]');
          if (target) target.focus();
        }
      };
      draw();
      set.appendChild(list);
    }
    if (locked) set.appendChild(feedback(view, rec.x[i]));
    return set;
  }
  function feedback(view, a) {
    var q = view.q, ok = isCorrect(view, a);
    var box = el("div", { "class": "mp-feedback " + (ok ? "mp-ok" : "mp-bad") }, [el("p", { "class": "mp-verdict", text: t(ok ? "correct" : "incorrect") })]);
    var general = q.feedback && (ok ? q.feedback.correct : q.feedback.incorrect);
    if (general) box.appendChild(el("p", { html: tx(general) }));
    if (q.choices) {
      [].concat(a === undefined || a === null ? [] : a).forEach(function (k) {
        var c = q.choices[k];
        if (c && c.feedback) box.appendChild(el("p", { html: tx(c.feedback) }));
      });
    }
    return box;
  }

  /* ---------- journal: what the LMS or LRS has not confirmed yet, kept on this device ---------- */
  // One mechanism for both trackers (scorm.js, xapi.js). Items wait in localStorage, so a closed tab
  // or a flat battery keeps them for the next launch. deliver(items, done, urgent) is tried at once,
  // then again with backoff (2 s doubling to a minute; at once when the browser is back online).
  // It answers done(n, again): the first n items are delivered; again: true when the rest failed and
  // is worth another try, false when it cannot be tried in this launch, null when it was not tried.
  // merge(last, item), when given, folds a new item into the last one waiting.
  var unsavedBy = {}, savingNote = null;
  function journal(name, deliver, merge) {
    var items = [], busy = false, delay = 2000, timer = null;
    try { items = JSON.parse(localStorage.getItem(name) || "[]") || []; } catch (e) { items = []; }
    function keep() {
      try { if (items.length) localStorage.setItem(name, JSON.stringify(items)); else localStorage.removeItem(name); } catch (e) { /* full or private mode: kept in memory */ }
    }
    // urgent: the page is going. While a delivery is in flight (which the browser cancels as the
    // page goes), the items go alongside it at once; the journal keeps them all until its own
    // delivery says they are stored (a later one sends them again, with the same ids).
    function flush(urgent) {
      if (!items.length) return;
      if (busy) {
        if (urgent) deliver(items.slice(), function () { /* the journal waits for its own delivery */ }, true, true);
        return;
      }
      clearTimeout(timer); timer = null;
      busy = true;
      deliver(items.slice(), function (n, again) {
        busy = false;
        if (n) { items.splice(0, n); keep(); delay = 2000; }
        if (again !== null) unsaved(name, !n && items.length > 0);
        if (items.length && n) flush(urgent);
        else if (items.length && again) { timer = setTimeout(flush, delay); delay = Math.min(delay * 2, 60000); }
      }, urgent);
    }
    window.addEventListener("online", function () { flush(); });
    return {
      add: function (item) {
        if (merge && items.length && !busy) items[items.length - 1] = merge(items[items.length - 1], item);
        else items.push(item);
        keep();
      },
      flush: flush,
      items: function () { return items; },
      forget: function (n) { items.splice(0, n); keep(); }, // delivered in an earlier launch after all
      retrying: function () { return timer !== null; }
    };
  }
  // Told calmly, and once: the learner's work is safe on the device and goes to the LMS by itself.
  function unsaved(name, failing) {
    var before = Object.keys(unsavedBy).length > 0;
    if (failing) unsavedBy[name] = true; else delete unsavedBy[name];
    var now = Object.keys(unsavedBy).length > 0;
    if (!savingNote || now === before) return;
    savingNote.hidden = false;
    savingNote.textContent = t(now ? "notSaved" : "savedAgain");
    noteRoom();
    if (!now) setTimeout(function () { if (!Object.keys(unsavedBy).length) { savingNote.hidden = true; noteRoom(); } }, 6000);
  }
  // The note sticks to the screen's foot: a control given focus is scrolled clear of it, not under it
  function noteRoom() {
    var shown = savingNote && !savingNote.hidden;
    document.documentElement.style.scrollPaddingBottom = shown ? (savingNote.offsetHeight + 16) + "px" : "";
  }

  /* ---------- leaving ---------- */
  // What to do next, in the terms of where the package runs: inside an LMS frame no window is to be
  // closed; a part of a module (one SCO or AU of several) leads to the next part in the LMS's contents.
  function finishedText() {
    var framed;
    try { framed = window.self !== window.top; } catch (e) { framed = true; }
    if (!framed) return "finished";
    return launch.unit && launch.unit !== "module" ? "finishedPart" : "finishedFramed";
  }
  function finish() {
    if (finished) return;
    report(true);
    if (tracker.tracking()) tracker.finish(status(), new Date() - startedAt);
    finished = true;
    main.innerHTML = "";
    main.appendChild(el("h1", { tabindex: "-1", text: t("finish") }));
    main.appendChild(el("p", { text: t(finishedText()) }));
    pager.innerHTML = "";
    main.querySelector("h1").focus();
  }

  /* ---------- the learner's language ---------- */
  // The module's language closest to the first wish that it has: exact tag, else the same primary subtag.
  function matchLanguage(wishes) {
    for (var i = 0; i < wishes.length; i++) {
      var want = String(wishes[i] || "").toLowerCase().replace("_", "-");
      if (!want) continue;
      for (var j = 0; j < M.languages.length; j++) if (M.languages[j].toLowerCase() === want) return M.languages[j];
      for (j = 0; j < M.languages.length; j++) if (M.languages[j].toLowerCase().split("-")[0] === want.split("-")[0]) return M.languages[j];
    }
    return null;
  }
  function hostLanguage() { // the LMS page around the package (same origin in Moodle, Chamilo, ILIAS...)
    var hosts = [window.parent !== window ? window.parent : null, window.opener];
    for (var i = 0; i < hosts.length; i++) {
      try { if (hosts[i] && hosts[i].document.documentElement.lang) return hosts[i].document.documentElement.lang; } catch (e) { /* another origin */ }
    }
    return "";
  }
  function remembered(value) { // the learner's own choice, kept on this device for every part of the module
    var name = "modpack.lang." + M.id;
    try { if (value) localStorage.setItem(name, value); return localStorage.getItem(name) || ""; } catch (e) { return value || ""; }
  }
  function firstLanguage() {
    // the learner's choice first; then what the LMS says of the learner, its page's language, the browser's
    var lms = tracker.tracking() && tracker.language ? tracker.language() : ""; // cmi5: a list, in order
    var browser = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language];
    return matchLanguage([remembered()].concat(lms.split(","), [hostLanguage()], Array.prototype.slice.call(browser)))
      || M.languages[0];
  }
  function chooseLanguage(lang) {
    state.lang = lang;
    remembered(lang);
    if (tracker.tracking() && tracker.language) tracker.language(lang);
  }

  /* ---------- start ---------- */
  function start(data) {
    M = data;
    state.lang = M.languages[0];
    if (window.modpackBlocks) blocks = window.modpackBlocks(core);
    buildScreens();
    var make = (window.modpackTrackers || {})[launch.standard];
    tracker = make ? make(core) : { tracking: function () { return false; } };
    (tracker.start || function (ready) { ready(); })(function () {
      state.lang = firstLanguage();
      var resumed = tracker.tracking() && restore();
      shell();
      if (!screens.length) return;
      show(state.at);
      if (resumed) say(t("resumed"));
      report(true);
    });
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && tracker && tracker.tracking() && !finished) { report(); tracker.flush(); }
  });
  window.addEventListener("pagehide", function () { // browsers block saves in unload; pagehide still runs
    if (!tracker || finished || !tracker.tracking()) return;
    report();
    tracker.leave(new Date() - startedAt);
    finished = true;
  });
  // What the trackers (scorm.js, xapi.js) may read and call: nothing else of the player.
  var core = {
    launch: launch, state: state, module: function () { return M; }, tx: tx, plain: plain, pad: pad,
    pages: pages, postTest: postTest, drawn: drawn, isCorrect: isCorrect, key: key, rightOrder: rightOrder, answered: answered, numberFrom: numberFrom,
    status: status, suspendData: suspendData, journal: journal,
    // for blocks.js
    el: el, t: t, say: say, save: function () { save(); report(); }, feedback: feedback,
    tracker: function () { return tracker; }
  };
  window.modpack = {
    strings: function (table) { STRINGS = table; },
    page: function (data) { pageHtml[data.id] = data.html; if (data.blocks) pageBlocks[data.id] = data.blocks; },
    module: start,
    number: function (text, lang) { return numberFrom(text, lang); }, // how an answer box reads a number
    state: function () { // for tests and support: where the learner is and what the LMS was told
      var s = screens[state.at] || {};
      return { state: state, status: status(), tracking: !!tracker && tracker.tracking(),
        screen: { kind: s.kind, id: s.kind === "page" ? s.page.id : (s.test && s.test.id) || null } };
    }
  };
})();
