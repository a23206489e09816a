/* modpack player: the xAPI side, for cmi5 (the LMS hands over an endpoint, a one-time token URL
   and the launch data) and Tin Can (endpoint, auth and actor in the launch URL). No credential is
   ever in the package. Statements wait in the player's journal (localStorage, retried with backoff)
   until the LRS has them, each with the id it was given once. */
(function () {
  "use strict";
  var CMI5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5";
  var MOVEON = "https://w3id.org/xapi/cmi5/context/categories/moveon";
  var SESSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid";
  var ADL = "http://adlnet.gov/expapi/verbs/";
  var VERBS = { initialized: ADL + "initialized", completed: ADL + "completed", passed: ADL + "passed",
    failed: ADL + "failed", terminated: ADL + "terminated", experienced: ADL + "experienced",
    answered: ADL + "answered", attempted: ADL + "attempted" };
  var TYPES = { "single-choice": "choice", "multiple-response": "choice", "true-false": "true-false",
    "fill-in": "fill-in", "matching": "matching", "ordering": "sequencing", "numeric": "numeric",
    "categorize": "matching" };

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, function (c) {
      var r = Math.random() * 16 | 0;
      return (c === "x" ? r : (r & 3 | 8)).toString(16);
    });
  }
  function iso(ms) { // ISO 8601 duration, centiseconds at most
    var s = ms / 1000, h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
    return "PT" + (h ? h + "H" : "") + (m ? m + "M" : "") + (Math.round((s % 60) * 100) / 100) + "S";
  }
  function param(name) { return new URLSearchParams(location.search).get(name); }
  function store(key, value) { try { if (value === undefined) localStorage.removeItem(key); else localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode */ } }
  function stored(key) { try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; } }

  function xapi(core) {
    var cmi5 = core.launch.standard === "cmi5";
    var endpoint = param("endpoint"), actor = null, registration = param("registration");
    try { actor = JSON.parse(param("actor") || "null"); } catch (e) { actor = null; }
    var activity = param("activityId") || param("activity_id") || core.module().iri;
    var auth = cmi5 ? null : param("auth");
    var on = !!(endpoint && actor && (cmi5 ? param("fetch") : auth));
    if (endpoint && endpoint.slice(-1) !== "/") endpoint += "/";
    var launchData = {}, session = uuid(), startedAt = new Date(), sent = {}, stateDoc = null, lastStatus = "";
    var single = false, refused = false, preferences = "", launched = false;
    var terminated = false, lastStamp = 0, judged = false, pendingFail = null;
    // cmi5 9.3.8: Terminated is a session's last statement. A page reloaded after it (pagehide sent
    // it) has the same token and session: it sends nothing new, and says how to go on.
    var endedKey = "modpack.ended." + param("fetch"), ended = false;
    function markEnded() { if (cmi5) { try { sessionStorage.setItem(endedKey, "1"); } catch (e) { /* private mode */ } } }

    function request(method, path, body, keepalive) {
      return fetch(endpoint + path, { method: method, keepalive: !!keepalive, headers: {
        "X-Experience-API-Version": "1.0.3", "Authorization": auth, "Content-Type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body) });
    }
    function stateQuery(id) {
      return "activities/state?" + new URLSearchParams({ stateId: id, activityId: activity,
        agent: JSON.stringify(actor), registration: registration || "" }).toString();
    }
    // The journal's delivery: up to 50 statements a request; done(n, again) as core.journal says.
    function sessionOf(s) { return ((s.context || {}).extensions || {})[SESSION]; }
    function deliver(items, done, keepalive, alongside) {
      if (!on || refused || !launched) return done(0, null); // before the token and LaunchData: not yet
      if (alongside) {
        // the page is going while a delivery is in flight, which the browser cancels: all of it
        // again, in order, with keepalive. An LRS takes a statement it holds already, sent again
        // identical, as no news (xAPI 1.0.3 part 3, 2.1.3); the journal keeps them all till told.
        request("POST", "statements", items.slice(0, 50), true).catch(function () { /* kept */ });
        return done(0, null);
      }
      var batch = items.slice(0, single ? 1 : 50);
      // statements of an earlier session, still on this device: an LMS refuses them once that
      // session is over (cmi5 9.3.8), and no retry can change it; they must not hold back this one's
      var current = ((launchData.contextTemplate || {}).extensions || {})[SESSION] || session;
      var earlier = cmi5 && sessionOf(batch[0]) && sessionOf(batch[0]) !== current ? sessionOf(batch[0]) : null;
      if (earlier) {
        var upTo = 0;
        while (upTo < batch.length && sessionOf(batch[upTo]) === earlier) upTo++;
        batch = batch.slice(0, upTo);
      }
      request("POST", "statements", batch, keepalive).then(function (response) {
        if (earlier && response.status >= 400 && response.status < 500) return done(batch.length, true);
        if ((response.status === 400 || response.status === 409) && batch.length > 1) {
          // one statement spoils a batch (400), or one is held already (409: some LRSs refuse the
          // whole batch for it): one by one, so that the others are stored all the same
          single = true;
          return deliver(items, done, keepalive);
        }
        if (response.status === 401 || response.status === 403) {
          refused = true; // this launch's token is no good: the journal keeps them for the next launch
          return done(0, false);
        }
        if (response.ok || response.status === 409 || response.status === 400) {
          // stored (409: already held); a lone 400 is a statement no LRS will take: retrying cannot help
          if (batch.length === items.length) single = false;
          return done(batch.length, true);
        }
        done(0, true);
      }, function () { done(0, true); }); // offline: the same statements, with the same ids, later
    }
    var queue = core.journal("modpack.queue." + (registration || "none"), deliver);
    function statement(verb, object, result, cmi5Defined, extra) {
      // cmi5 9.3.8: nothing after Terminated (the contents and page links still work on this page)
      if (ended || (terminated && verb !== "terminated")) return null;
      var template = launchData.contextTemplate || {};
      var context = JSON.parse(JSON.stringify(template));
      context.registration = registration || undefined;
      context.extensions = context.extensions || {};
      context.extensions[SESSION] = context.extensions[SESSION] || session;
      context.contextActivities = context.contextActivities || {};
      if (cmi5 && cmi5Defined) {
        var category = (context.contextActivities.category || []).slice();
        category.push({ id: CMI5 });
        if (extra && extra.moveOn) category.push({ id: MOVEON });
        context.contextActivities.category = category;
      }
      if (extra && extra.parent) context.contextActivities.parent = [{ id: activity }];
      if (extra && extra.mastery !== undefined && extra.mastery !== null) {
        context.extensions["https://w3id.org/xapi/cmi5/context/extensions/masteryscore"] = extra.mastery;
      }
      if (!cmi5) delete context.extensions[SESSION];
      if (!Object.keys(context.extensions).length) delete context.extensions;
      if (!Object.keys(context.contextActivities).length) delete context.contextActivities;
      var s = { id: uuid(), actor: actor, verb: { id: VERBS[verb], display: { "en-US": verb } },
        object: object || { id: activity, objectType: "Activity" }, context: context,
        timestamp: stamp() };
      if (result) s.result = result;
      queue.add(s);
      if (!(extra && extra.hold)) queue.flush(extra && extra.keepalive);
      return s;
    }
    function stamp() { // strictly increasing: statements made in one moment keep their order for readers
      lastStamp = Math.max(Date.now(), lastStamp + 1);
      return new Date(lastStamp).toISOString();
    }
    function duration() { return iso(new Date() - startedAt); }
    function sendFailed(hold) { // hold: Terminated follows at once, and takes it along
      if (!pendingFail || judged) return;
      sent.failedAttempt = pendingFail.attempts; judged = true;
      statement("failed", null, { score: { scaled: pendingFail.scaled }, success: false, duration: duration() }, true,
        { moveOn: true, mastery: pendingFail.mastery, hold: hold });
      pendingFail = null;
    }
    function normalMode() { return !cmi5 || !launchData.launchMode || launchData.launchMode === "Normal"; }
    function saveState(keepalive) {
      if (!on) return;
      var doc = { suspend: core.suspendData(0), sent: sent };
      request("PUT", stateQuery("https://modpack.invalid/xapi/state"), doc, keepalive).catch(function () { /* kept locally */ });
      store("modpack.state." + registration, doc);
    }
    function loadState(ready) {
      request("GET", stateQuery("https://modpack.invalid/xapi/state")).then(function (r) {
        return r.status === 200 ? r.json() : null;
      }).then(function (doc) {
        stateDoc = doc || stored("modpack.state." + registration);
        sent = (stateDoc && stateDoc.sent) || {};
        ready();
      }, function () { stateDoc = stored("modpack.state." + registration); sent = (stateDoc && stateDoc.sent) || {}; ready(); });
    }
    function interaction(test, view, a) {
      var q = view.q, K = core.key(q), M = core.module();
      var base = test.iri || M.iri + "/assessments/" + test.id + "/questions/" + q.id;
      var def = { type: "http://adlnet.gov/expapi/activities/cmi.interaction", interactionType: TYPES[q.type],
        name: { }, description: {} };
      def.name[core.state.lang] = q.id;
      def.description[core.state.lang] = core.plain(core.tx(q.prompt)).replace(/\s+/g, " ").trim() || q.id;
      function comps(list) { return list.map(function (c) { var d = {}; d[core.state.lang] = core.plain(core.tx(c.text)) || c.id; return { id: c.id, description: d }; }); }
      var response = "", pattern = [];
      function ids(list, idx) { return idx.map(function (i) { return list[i].id; }); }
      if (q.choices) { def.choices = comps(q.choices); pattern = [[].concat(K.correct).join("[,]")];
        response = a === undefined || a === null ? "" : ids(q.choices, [].concat(a)).join("[,]"); }
      if (q.type === "true-false") { pattern = [String(K.correct)]; response = a === 1 ? "true" : a === 0 ? "false" : ""; }
      if (q.type === "fill-in") { pattern = K.accepted.map(function (m) { return "{case_matters=" + !!q.case_sensitive + "}" + core.tx(m); });
        response = String(a || ""); }
      if (q.type === "matching" || q.type === "categorize") {
        var from = q.sources || q.items, to = q.targets || q.categories;
        def.source = comps(from); def.target = comps(to);
        pattern = [from.map(function (s) { return s.id + "[.]" + K.correct[s.id]; }).join("[,]")];
        response = from.map(function (s, i) { return a && a[i] >= 0 ? s.id + "[.]" + to[a[i]].id : ""; }).filter(Boolean).join("[,]"); }
      if (q.type === "ordering") { def.choices = comps(q.items); pattern = [core.rightOrder(q).map(function (k) { return q.items[k].id; }).join("[,]")];
        response = (a || []).map(function (k) { return q.items[k].id; }).join("[,]"); }
      if (q.type === "numeric") { var n = core.numberFrom(a); response = isNaN(n) ? "" : String(n);
        pattern = [K.correct !== undefined ? K.correct + "[:]" + K.correct : K.min + "[:]" + K.max]; }
      def.correctResponsesPattern = pattern;
      return { object: { objectType: "Activity", id: base, definition: def },
        result: { response: response, success: core.isCorrect(view, a), score: { raw: core.isCorrect(view, a) ? q.points : 0, min: 0, max: q.points } } };
    }

    return {
      tracking: function () { return on && !ended; },
      ended: function () { return ended; },
      start: function (ready) {
        if (!on) return ready();
        var begin = function () {
          launched = true;
          loadState(function () {
            statement(cmi5 ? "initialized" : "attempted", null, null, true);
            ready();
          });
        };
        if (!cmi5) return begin();
        var tokenKey = "modpack.token." + param("fetch");
        var token = null;
        try { token = sessionStorage.getItem(tokenKey); } catch (e) { token = null; }
        var gotToken = token ? Promise.resolve(token) : fetch(param("fetch"), { method: "POST" }).then(function (r) {
          return r.json();
        }).then(function (body) {
          try { sessionStorage.setItem(tokenKey, body["auth-token"]); } catch (e) { /* one try only */ }
          return body["auth-token"];
        });
        try { ended = sessionStorage.getItem(endedKey) === "1"; } catch (e) { ended = false; }
        gotToken.then(function (value) {
          auth = "Basic " + value;
          return request("GET", stateQuery("LMS.LaunchData")).then(function (r) { return r.json(); });
        }).then(function (data) {
          launchData = data || {};
          launched = true;
          if (ended) { queue.flush(); return ready(); } // what this session left undelivered, nothing new
          // cmi5 11.0: on startup, the learner's preferences (a language list, in order)
          var agent = new URLSearchParams({ agent: JSON.stringify(actor), profileId: "cmi5LearnerPreferences" });
          request("GET", "agents/profile?" + agent.toString()).then(function (r) {
            return r.status === 200 ? r.json() : null;
          }).then(function (doc) {
            preferences = doc && typeof doc.languagePreference === "string" ? doc.languagePreference : "";
          }, function () { /* none: the other sources of a language decide */ }).then(begin);
        }, function () { on = false; ready(); });
      },
      language: function () { return preferences; },
      learner: function () { return (actor && (actor.name || (actor.account && actor.account.name))) || ""; },
      load: function () { return stateDoc && stateDoc.suspend || ""; },
      save: function () { saveState(); },
      status: function (st, force) {
        var key = [st.complete, st.success, st.score].join();
        if (key === lastStatus && !force) return saveState();
        lastStatus = key;
        if (normalMode()) {
          var scaled = st.score === null ? null : st.score / 100;
          var mastery = typeof launchData.masteryScore === "number" ? launchData.masteryScore : null;
          var success = st.success;
          if (mastery !== null && scaled !== null) success = scaled >= mastery ? "passed" : "failed";
          // cmi5 9.3: at most one of passed and failed in a session; never failed once passed. A
          // failure the learner may still retry waits for the session's end: a pass meanwhile is sent
          // instead (sent at once, the LMS would never hear of the pass until another launch).
          if (success === "passed" && !sent.passed && !judged) {
            sent.passed = true; judged = true; pendingFail = null;
            statement("passed", null, { score: { scaled: scaled }, success: true, duration: duration() }, true,
              { moveOn: true, mastery: mastery });
          } else if (success === "failed" && !sent.passed && !judged && st.attempts > (sent.failedAttempt || 0)) {
            pendingFail = { scaled: scaled, mastery: mastery, attempts: st.attempts };
            if (st.success !== "failed" || st.outOfTries) sendFailed();
          }
          if (st.complete && !sent.completed) {
            sent.completed = true;
            // cmi5 9.6.2.2: every defined statement with success or completion carries the moveon category
            statement("completed", null, { completion: true, duration: duration() }, true, { moveOn: true });
          }
        }
        saveState();
      },
      viewed: function (lesson, page) { // cmi5 "allowed": which pages were read
        var M = core.module(), name = {};
        name[core.state.lang] = core.tx(page.title);
        statement("experienced", { objectType: "Activity", id: M.iri + "/pages/" + page.id,
          definition: { type: "http://adlnet.gov/expapi/activities/lesson", name: name } }, null, false, { parent: true });
      },
      answered: function (test, views, answers) {
        views.forEach(function (view, i) {
          var made = interaction(test, view, answers[i]);
          statement("answered", made.object, made.result, false, { parent: true });
        });
      },
      checked: function (page, n, data, answer) { // a knowledge check: an "answered" allowed statement
        var made = interaction({ iri: core.module().iri + "/pages/" + page.id + "/checks/" + data.question.id },
          { q: data.question }, answer);
        statement("answered", made.object, made.result, false, { parent: true });
      },
      scenario: function (page, data, path, end) { // the path taken through a case, and how it ended
        var M = core.module(), scene = data.scenes[0], byId = {}, steps = [], name = {};
        data.scenes.forEach(function (s) { byId[s.id] = s; });
        path.forEach(function (k) { steps.push(scene.id + "[.]" + k); scene = byId[scene.choices[k].next]; });
        name[core.state.lang] = data.title;
        var result = { response: steps.join("[,]"), success: end.outcome === "good", completion: true, extensions: {} };
        result.extensions[M.iri + "/extensions/outcome"] = end.outcome;
        statement("answered", { objectType: "Activity", id: M.iri + "/scenarios/" + data.id, definition: {
          type: "http://adlnet.gov/expapi/activities/cmi.interaction", interactionType: "performance", name: name,
          steps: data.scenes.map(function (s) { var d = {}; d[core.state.lang] = core.plain(s.html).slice(0, 200) || s.id; return { id: s.id, description: d }; }) } },
          result, false, { parent: true });
      },
      flush: function () { saveState(true); queue.flush(true); },
      leave: function () {
        if (terminated || ended) return;
        sendFailed(true);
        terminated = true;
        statement("terminated", null, { duration: duration() }, true, { keepalive: true });
        markEnded();
        saveState(true);
      },
      finish: function () {
        if (terminated || ended) return;
        sendFailed(true);
        terminated = true;
        statement("terminated", null, { duration: duration() }, true);
        markEnded();
        saveState(true);
        if (launchData.returnURL) setTimeout(function () { location.href = launchData.returnURL; }, 300);
      },
      queue: function () { return queue.items(); }
    };
  }
  window.modpackTrackers = window.modpackTrackers || {};
  window.modpackTrackers.cmi5 = window.modpackTrackers.xapi = xapi;
})();
