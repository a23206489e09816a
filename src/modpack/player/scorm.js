/* modpack player: the SCORM 1.2 and 2004 side. The player (player.js) calls it through the tracker
   interface: start, tracking, language, load, save, status, answered, flush, leave, finish. */
(function () {
  "use strict";
  function scorm(core) {
    function findApi(win, name) {
      for (var hops = 0; win && hops < 50; hops++) {
        try { if (win[name]) return win[name]; } catch (e) { return null; } // another origin
        if (!win.parent || win.parent === win) break;
        win = win.parent;
      }
      return null;
    }
    function Lms(standard) {
      var v2004 = standard === "scorm2004";
      var name = v2004 ? "API_1484_11" : "API";
      var api = standard === "none" ? null : (findApi(window, name) || (window.opener && findApi(window.opener, name)) || null);
      var on = false;
      function call(f12, f2004) {
        var args = Array.prototype.slice.call(arguments, 2);
        try { return String(api[v2004 ? f2004 : f12].apply(api, args)); } catch (e) { return ""; }
      }
      var K = v2004 ? {
        location: "cmi.location", entry: "cmi.entry", exit: "cmi.exit", time: "cmi.session_time",
        raw: "cmi.score.raw", min: "cmi.score.min", max: "cmi.score.max", lang: "cmi.learner_preference.language"
      } : {
        location: "cmi.core.lesson_location", entry: "cmi.core.entry", exit: "cmi.core.exit", time: "cmi.core.session_time",
        raw: "cmi.core.score.raw", min: "cmi.core.score.min", max: "cmi.core.score.max", lang: "cmi.student_preference.language"
      };
      return {
        v2004: v2004, K: K,
        start: function () { on = !!api && call("LMSInitialize", "Initialize", "") === "true"; return on; },
        tracking: function () { return on; },
        get: function (key) { return on ? call("LMSGetValue", "GetValue", key) : ""; },
        set: function (key, value) { return on && call("LMSSetValue", "SetValue", key, String(value)) === "true"; },
        commit: function () { return on && call("LMSCommit", "Commit", "") === "true"; },
        finish: function () { if (on) { call("LMSFinish", "Terminate", ""); on = false; } }
      };
    }
    function duration12(ms) { // HHHH:MM:SS.SS
      var s = ms / 1000, h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
      return core.pad(h, 4) + ":" + core.pad(m, 2) + ":" + core.pad(sec.toFixed(2), 5);
    }
    function duration2004(ms) { // PT#H#M#S
      var s = ms / 1000, h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = (s % 60).toFixed(2);
      return "PT" + (h ? h + "H" : "") + (m ? m + "M" : "") + sec + "S";
    }
    function clock(date) { return core.pad(date.getHours(), 2) + ":" + core.pad(date.getMinutes(), 2) + ":" + core.pad(date.getSeconds(), 2); }
    // UTC, marked Z: without a zone the LMS reads local time (RTE 4.2.9.7), 7 hours off in WIB.
    // Hundredths: Moodle's CMITime takes a zone only after a fraction of one or two digits.
    function timestamp(date) { return date.toISOString().slice(0, 22) + "Z"; }



    var indexes = null; // objective id -> index; the LMS may have filled some from the manifest already
    function objectiveIndex(id) {
      if (indexes === null) {
        var raw = lms.get("cmi.objectives._count");
        if (raw === "") return -1; // the LMS does not answer now: objectives wait for the next report
        indexes = {};
        for (var i = 0; i < (parseInt(raw, 10) || 0); i++) indexes[lms.get("cmi.objectives." + i + ".id")] = i;
      }
      if (!(id in indexes)) {
        var n = Object.keys(indexes).length;
        put("cmi.objectives." + n + ".id", id);
        indexes[id] = n;
      }
      return indexes[id];
    }
    function objectives() {
      var M = core.module(), state = core.state, post = core.postTest(), rec = post && state.tests[post.id];
      var views = rec && rec.d ? core.drawn(post, rec) : [];
      (M.objectives || []).forEach(function (o) {
        var lessons = M.lessons.filter(function (l) { return l.objectives.indexOf(o.id) >= 0 && core.pages().some(function (s) { return s.lesson === l; }); });
        var mine = views.map(function (v, i) { return { v: v, a: rec.x[i] }; }).filter(function (x) { return x.v.q.objectives.indexOf(o.id) >= 0; });
        if (!lessons.length && !mine.length) return;
        var index = objectiveIndex(o.id);
        if (index < 0) return;
        var base = "cmi.objectives." + index + ".";
        var done = lessons.every(function (l) { return l.pages.every(function (p) { return state.seen[p.id]; }); });
        var scaled = null;
        if (mine.length) {
          var got = 0, total = 0;
          mine.forEach(function (x) { total += x.v.q.points; if (core.isCorrect(x.v, x.a)) got += x.v.q.points; });
          scaled = total ? got / total : 0;
        }
        if (lms.v2004) {
          put(base + "completion_status", done ? "completed" : "incomplete");
          if (scaled !== null) {
            put(base + "score.scaled", scaled.toFixed(4));
            put(base + "success_status", scaled * 100 >= post.pass_mark ? "passed" : "failed");
          }
        } else if (scaled !== null) {
          put(base + "score.raw", Math.round(scaled * 100)); put(base + "score.min", 0); put(base + "score.max", 100);
          put(base + "status", scaled * 100 >= post.pass_mark ? "passed" : "failed");
        } else {
          put(base + "status", done ? "completed" : "incomplete");
        }
      });
    }


    /* ---------- interactions: every answered question, in each standard's own format ---------- */
    // the interaction types, named alike in SCORM 1.2 and 2004
    var TYPES = { "single-choice": "choice", "multiple-response": "choice", "true-false": "true-false",
      "fill-in": "fill-in", "matching": "matching", "ordering": "sequencing", "numeric": "numeric",
      "categorize": "matching" };
    var CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";
    // SCORM 2004 short identifiers as every common runtime takes them (Moodle: [A-Za-z0-9_.]{1,250}):
    // ids are slugs (a-z, 0-9, single hyphens), so a hyphen made an underscore is one-to-one, and
    // interactions.json in the package maps each back (package/targets/scorm2004.py)
    function sid(id) { return String(id).replace(/-/g, "_"); }
    function decimal(n) { return String(Math.round(n * 1e6) / 1e6); }
    // real(10,7) in the standard, but Moodle and others keep at most 5 integer digits: a number
    // beyond that (a rupiah amount of 100.000) is reported as text, type 'other'
    function storable(n) { return /^-?\d{1,5}(\.\d{1,7})?$/.test(decimal(n)); }
    function numericFits(q, a) {
      var K = core.key(q), n = core.numberFrom(a);
      return [K.correct, K.min, K.max, isNaN(n) ? undefined : n].every(function (x) { return x === undefined || storable(x); });
    }
    function responses(view, a) {
      var q = view.q, K = core.key(q), v2004 = lms.v2004, sep = v2004 ? "[,]" : ",", dot = v2004 ? "[.]" : ".";
      function cid(list, i) { return v2004 ? sid(list[i].id) : CHARS.charAt(i); }
      function idx(list, id) { for (var i = 0; i < list.length; i++) if (list[i].id === id) return i; return -1; }
      var learner = "", correct = [];
      switch (q.type) {
        case "single-choice":
          learner = core.answered(view, a) ? cid(q.choices, a) : "";
          correct = [cid(q.choices, idx(q.choices, K.correct))];
          break;
        case "multiple-response":
          learner = (a || []).map(function (i) { return cid(q.choices, i); }).join(sep);
          correct = [K.correct.map(function (id) { return cid(q.choices, idx(q.choices, id)); }).join(sep)];
          break;
        case "true-false":
          learner = a === 1 ? (v2004 ? "true" : "t") : a === 0 ? (v2004 ? "false" : "f") : "";
          correct = [K.correct ? (v2004 ? "true" : "t") : (v2004 ? "false" : "f")];
          break;
        case "fill-in":
          // one line: runtimes match responses with '.', which stops at a line break
          learner = String(a || "").replace(/[{}]|\[,\]/g, "").replace(/\s+/g, " ").slice(0, 250);
          correct = [];
          K.accepted.forEach(function (map) {
            Object.keys(map).forEach(function (l) {
              var text = map[l].replace(/[{}]|\[,\]/g, "").replace(/\s+/g, " ").slice(0, 200);
              if (correct.indexOf(text) < 0) correct.push(text);
            });
          });
          if (v2004) correct = correct.map(function (c) { return "{case_matters=" + (q.case_sensitive ? "true" : "false") + "}" + c; });
          break;
        case "matching":
        case "categorize": // items into categories: a matching of items to their category
          var from = q.sources || q.items, to = q.targets || q.categories;
          learner = from.map(function (s, i) {
            return a && a[i] >= 0 ? cid(from, i) + dot + cid(to, a[i]) : "";
          }).filter(Boolean).join(sep);
          correct = [from.map(function (s, i) { return cid(from, i) + dot + cid(to, idx(to, K.correct[s.id])); }).join(sep)];
          break;
        case "ordering":
          learner = (a || []).map(function (k) { return cid(q.items, k); }).join(sep);
          correct = [core.rightOrder(q).map(function (k) { return cid(q.items, k); }).join(sep)];
          break;
        case "numeric":
          var n = core.numberFrom(a), low = K.correct !== undefined ? K.correct : K.min, high = K.correct !== undefined ? K.correct : K.max;
          learner = isNaN(n) ? "" : decimal(n);
          correct = v2004 ? [decimal(low) + (numericFits(q, a) ? "[:]" : ":") + decimal(high)] : [decimal(low)];
          break;
      }
      return { learner: learner, correct: v2004 ? correct : correct.slice(0, 1) };
    }
    function interactions(test, views, answers, startedTest) {
      var state = core.state;
      var now = new Date(), latencyMs = now - startedTest;
      views.forEach(function (view, i) {
        var q = view.q, a = answers[i], fields = [];
        function set(name, value) { fields.push([name, String(value)]); }
        var r = responses(view, a), ok = core.isCorrect(view, a);
        if (lms.v2004) {
          set("id", sid(test.key || test.id) + "." + sid(q.id));
          set("type", q.type === "numeric" && !numericFits(q, a) ? "other" : TYPES[q.type]);
          (q.objectives || []).forEach(function (o, k) { set("objectives." + k + ".id", o); });
          set("timestamp", timestamp(now));
          r.correct.forEach(function (p, k) { set("correct_responses." + k + ".pattern", p); });
          set("weighting", q.points);
          set("learner_response", r.learner);
          set("result", ok ? "correct" : "incorrect");
          set("latency", duration2004(latencyMs / views.length));
          set("description", "{lang=" + state.lang + "}" + core.plain(core.tx(q.prompt)).replace(/[{}]/g, "").replace(/\s+/g, " ").trim().slice(0, 240));
        } else {
          set("id", (test.key || test.id) + "-" + q.id);
          (q.objectives || []).forEach(function (o, k) { set("objectives." + k + ".id", o); });
          set("time", clock(now));
          set("type", TYPES[q.type]);
          set("correct_responses.0.pattern", r.correct[0]);
          set("weighting", q.points);
          set("student_response", r.learner);
          set("result", ok ? "correct" : "wrong");
          set("latency", duration12(latencyMs / views.length));
        }
        interaction(fields);
      });
    }


    var lms = Lms(core.launch.standard);

    /* ---------- what the LMS is told, journaled until its Commit succeeds ---------- */
    // Each value is set at once, as SCORM expects, and kept in a change set that joins the journal
    // (core.journal: localStorage, retried with backoff) at each save. A Commit that succeeds
    // empties the journal. Once a SetValue or Commit has failed, the journal is replayed in full
    // (each element's latest value, each interaction at its own index) before the next Commit, in
    // this launch or the next. Each save's suspend data carries the save's serial: the next launch
    // drops the items the LMS already has (its suspend data's serial covers them), so nothing the
    // LMS stored is sent twice, and keeps its own count of interactions, so none is overwritten.
    var book = null, change = { v: {}, i: [] }, serial = 0, stored = 0, dirty = false, finishing = false, fromLms = "";
    function put(key, value) {
      change.v[key] = String(value);
      if (!lms.set(key, value)) dirty = true;
    }
    function waiting() { // interactions set but not yet committed
      return (book ? book.items() : []).reduce(function (n, item) { return n + item.i.length; }, 0) + change.i.length;
    }
    function interaction(fields) { // [[field, value]...] in the order the standard sets them
      var base = "cmi.interactions." + (stored + waiting()) + ".";
      fields.forEach(function (f) { if (!lms.set(base + f[0], f[1])) dirty = true; });
      change.i.push(fields);
    }
    function merge(a, b) {
      var v = {};
      [a.v, b.v].forEach(function (x) { Object.keys(x).forEach(function (k) { v[k] = x[k]; }); });
      return { n: b.n, v: v, i: a.i.concat(b.i) };
    }
    function deliver(items, done) {
      if (!lms.tracking()) return done(0, null);
      var all = items.reduce(merge);
      if (dirty) { // the LMS may have lost any of it: all of it again, then commit
        Object.keys(all.v).forEach(function (k) { lms.set(k, all.v[k]); });
        all.i.forEach(function (fields, j) {
          var base = "cmi.interactions." + (stored + j) + ".";
          fields.forEach(function (f) { lms.set(base + f[0], f[1]); });
        });
      }
      // Committed even when the LMS refused a value: a refusal (a value out of its data model) is
      // final, and waiting for it held back every later commit; a lost connection fails the Commit.
      if (lms.commit()) {
        stored += all.i.length;
        dirty = false;
        done(items.length, true);
        if (finishing) lms.finish();
      } else {
        dirty = true;
        done(0, true);
      }
    }
    function serialIn(data) { try { return JSON.parse(data).j | 0; } catch (e) { return 0; } }
    function openJournal() { // after Initialize: this learner's journal for this SCO, less what the LMS has
      var who = lms.get(lms.v2004 ? "cmi.learner_id" : "cmi.core.student_id");
      book = core.journal("modpack.scorm." + core.module().id + "." + (core.launch.unit || "module") + "." + who, deliver, merge);
      // A first launch has no suspend data to read: SCORM 2004 answers GetValue with error 403 (RTE 4.1.7:
      // "data model element value not initialized") and LMSs log it. Read it only when resuming.
      fromLms = lms.get(lms.K.entry) === "ab-initio" ? "" : lms.get("cmi.suspend_data");
      stored = parseInt(lms.get("cmi.interactions._count"), 10) || 0;
      var had = serialIn(fromLms), items = book.items(), known = 0;
      while (known < items.length && items[known].n <= had) known++;
      book.forget(known);
      serial = Math.max(had, items.length ? items[items.length - 1].n : 0);
      if (items.length) dirty = true; // saved on this device in an earlier launch, never committed
    }
    function save() {
      if (!book) return;
      // CMIString4096 in SCORM 1.2 (RTE 3.4.4), characterstring SPM 64000 in 2004 (RTE 4.2.23)
      var data = core.suspendData(lms.v2004 ? 64000 : 4096, serial + 1);
      if (data) put("cmi.suspend_data", data);
      put(lms.K.location, String(core.state.at));
      serial += 1;
      book.add({ n: serial, v: change.v, i: change.i });
      change = { v: {}, i: [] };
    }
    function commit(urgent) { save(); if (book) book.flush(urgent); }
    var reported = "", lastCommit = new Date();
    function sessionTime(ms) { return lms.v2004 ? duration2004(ms) : duration12(ms); }
    return {
      start: function (ready) {
        lms.start();
        if (lms.tracking()) {
          openJournal();
          put(lms.K.exit, "suspend"); // until the learner finishes, a closed tab is a pause
        }
        ready();
      },
      tracking: lms.tracking,
      language: function (chosen) { // the LMS's learner preference; the learner's choice is written back
        if (chosen) put(lms.K.lang, chosen);
        return lms.get(lms.K.lang);
      },
      learner: function () { // "Sari, Dewi" as LMSs store it reads "Dewi Sari" on a certificate
        var name = lms.get(lms.v2004 ? "cmi.learner_name" : "cmi.core.student_name");
        var parts = name.split(",");
        return parts.length === 2 ? (parts[1].trim() + " " + parts[0].trim()).trim() : name.trim();
      },
      load: function () { // the newest state: this device's, when the LMS never got it
        var items = book ? book.items() : [];
        var mine = items.length ? items.reduce(merge).v["cmi.suspend_data"] : "";
        return mine || fromLms;
      },
      save: save,
      status: function (st, force) {
        var K = lms.K;
        if (st.score !== null) {
          put(K.raw, st.score); put(K.min, 0); put(K.max, 100);
          // scaled only where a pass mark gives it a meaning: an LMS judges success from it against
          // its scaled passing score, which Moodle sets to 1.0 for a SCO whose manifest gives none
          if (lms.v2004 && core.postTest()) put("cmi.score.scaled", (st.score / 100).toFixed(4));
        }
        if (lms.v2004) {
          put("cmi.completion_status", st.complete ? "completed" : "incomplete");
          put("cmi.progress_measure", st.progress.toFixed(4));
          if (st.success !== "unknown") put("cmi.success_status", st.success);
        } else {
          var s12 = st.passFail && st.success !== "unknown" && (st.success === "failed" || st.complete) ? st.success
            : (st.complete ? "completed" : "incomplete");
          put("cmi.core.lesson_status", s12);
        }
        objectives();
        save();
        // Commit when the status changes, and otherwise at most every 30 s: with LMSs whose commit is
        // a synchronous request, committing every page would stall each tap on a slow link. A failed
        // SetValue asks for a commit too, unless the journal is already waiting to try again.
        var key = [st.complete, st.success, st.score].join();
        if (force || key !== reported || new Date() - lastCommit > 30000 || (dirty && !book.retrying())) {
          reported = key; lastCommit = new Date(); book.flush();
        }
      },
      answered: interactions,
      checked: function (page, n, data, answer) { // a scored knowledge check is reported like a question
        if (data.scored) interactions({ id: "check", key: "check-" + page.id }, [{ q: data.question }], [answer], new Date());
        save();
      },
      scenario: function (page, data, path, end) { // the path taken, as a performance interaction
        var scene = data.scenes[0], byId = {}, steps = [], fields = [];
        function set(name, value) { fields.push([name, String(value)]); }
        data.scenes.forEach(function (s) { byId[s.id] = s; });
        path.forEach(function (k) { steps.push((lms.v2004 ? sid(scene.id) + "[.]" : scene.id + ".") + k); scene = byId[scene.choices[k].next]; });
        var good = end.outcome === "good", now = new Date();
        if (lms.v2004) {
          set("id", "scenario." + sid(data.id));
          set("type", "performance");
          set("timestamp", timestamp(now));
          set("learner_response", steps.join("[,]"));
          set("result", good ? "correct" : "incorrect");
          set("description", "{lang=" + core.state.lang + "}" + data.title.replace(/[{}]/g, "").slice(0, 240));
        } else {
          set("id", "scenario-" + data.id);
          set("type", "performance");
          set("time", clock(now));
          set("student_response", steps.join(",").slice(0, 255));
          set("result", good ? "correct" : "wrong");
        }
        interaction(fields);
        commit();
      },
      flush: function () { commit(true); },
      leave: function (ms) { // the tab closes: what is not committed stays in the journal for the next launch
        put(lms.K.time, sessionTime(ms));
        commit(true);
        lms.finish();
      },
      finish: function (st, ms) { // Terminate once everything is committed: if the LMS is away, when it is back
        put(lms.K.exit, st.complete ? (lms.v2004 ? "normal" : "") : "suspend");
        put(lms.K.time, sessionTime(ms));
        finishing = true;
        commit();
      }
    };
  }
  window.modpackTrackers = window.modpackTrackers || {};
  window.modpackTrackers.scorm12 = window.modpackTrackers.scorm2004 = scorm;
})();
