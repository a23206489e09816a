/* modpack player (first step): shows a unit's pages and reports to the LMS through SCORM.
   Plain JavaScript, no framework, works offline and from disk. */
(function () {
  "use strict";
  var launch = window.MODPACK_LAUNCH || {};
  var state = { module: null, pages: [], index: 0, seen: {}, pageHtml: {} };

  /* ---- SCORM API discovery: window.parent chain, then the opener's chain ---- */
  function findIn(win, name) {
    for (var hops = 0; win && hops < 500; hops++) {
      try { if (win[name]) return win[name]; } catch (e) { return null; }
      if (win.parent === win) break;
      win = win.parent;
    }
    return null;
  }
  function findApi(name) {
    return findIn(window, name) || (window.opener ? findIn(window.opener, name) : null);
  }

  var lms = (function () {
    var v2004 = launch.standard === "scorm2004";
    var api = findApi(v2004 ? "API_1484_11" : "API");
    var call = function (fn12, fn2004) {
      var args = Array.prototype.slice.call(arguments, 2);
      if (!api) return "";
      var fn = api[v2004 ? fn2004 : fn12];
      return fn ? String(fn.apply(api, args)) : "";
    };
    var active = false;
    return {
      tracking: function () { return !!api; },
      start: function () { active = call("LMSInitialize", "Initialize", "") === "true"; return active; },
      get: function (k12, k2004) { return active ? call("LMSGetValue", "GetValue", v2004 ? k2004 : k12) : ""; },
      set: function (k12, k2004, value) { if (active) call("LMSSetValue", "SetValue", v2004 ? k2004 : k12, String(value)); },
      commit: function () { if (active) call("LMSCommit", "Commit", ""); },
      finish: function () { if (active) { active = false; call("LMSFinish", "Terminate", ""); } },
      is2004: v2004
    };
  })();

  function text(map) {
    if (!map) return "";
    var lang = state.module.languages[0];
    return map[lang] || map[Object.keys(map)[0]];
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }

  function loadPage(page, done) {
    if (state.pageHtml[page.id]) return done();
    var script = document.createElement("script");
    script.src = page.src;
    script.onload = done;
    document.head.appendChild(script);
  }

  function report() {
    var total = state.pages.length, seen = Object.keys(state.seen).length;
    var complete = total === 0 || seen * 100 >= total * state.module.completion.pages_percent;
    if (lms.is2004) {
      lms.set("", "cmi.progress_measure", total ? (seen / total).toFixed(2) : "1");
      lms.set("", "cmi.completion_status", complete ? "completed" : "incomplete");
    } else {
      lms.set("cmi.core.lesson_status", "", complete ? "completed" : "incomplete");
    }
    lms.set("cmi.core.lesson_location", "cmi.location", String(state.index));
    lms.commit();
  }

  function show(index) {
    state.index = Math.max(0, Math.min(index, state.pages.length - 1));
    var page = state.pages[state.index];
    loadPage(page, function () {
      var root = document.getElementById("modpack");
      root.innerHTML = "";
      root.appendChild(el("h1", {}, [text(page.title)]));
      var body = el("div", { "class": "mp-page" });
      body.innerHTML = text(state.pageHtml[page.id]);
      root.appendChild(body);
      var nav = el("nav", {}, []);
      var prev = el("button", { type: "button" }, ["Sebelumnya"]);
      var next = el("button", { type: "button" }, ["Berikutnya"]);
      prev.disabled = state.index === 0;
      next.disabled = state.index === state.pages.length - 1;
      prev.onclick = function () { show(state.index - 1); };
      next.onclick = function () { show(state.index + 1); };
      nav.appendChild(prev); nav.appendChild(next);
      root.appendChild(nav);
      if (!lms.tracking()) root.appendChild(el("p", { role: "status" }, ["Modul dibuka tanpa LMS: kemajuan Anda tidak dicatat."]));
      state.seen[page.id] = true;
      report();
    });
  }

  window.modpack = {
    page: function (data) { state.pageHtml[data.id] = data.html; },
    module: function (data) {
      state.module = data;
      var wanted = launch.lessons || [];
      data.lessons.forEach(function (lesson) {
        if (wanted.indexOf(lesson.id) >= 0) state.pages = state.pages.concat(lesson.pages);
      });
      lms.start();
      var resumeAt = parseInt(lms.get("cmi.core.lesson_location", "cmi.location"), 10);
      lms.set("cmi.core.exit", "cmi.exit", "suspend");
      if (state.pages.length) show(isNaN(resumeAt) ? 0 : resumeAt);
      else report();
    }
  };
  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden") lms.commit(); });
  window.addEventListener("pagehide", function () { lms.commit(); lms.finish(); });
})();
