/* modpack preview: the LMS side of SCORM 1.2 and 2004 for `modpack preview`. It keeps the CMI as a
   flat map of element -> value, loaded from and committed to the preview server (one file per
   learner and SCO), so a relaunch resumes. It checks little: it is a preview, not a conformance
   test (the tests use npm scorm-again for that). */
(function () {
  "use strict";
  var config = window.PREVIEW;
  var v2004 = config.standard === "scorm2004";
  var cmi = {}, started = false, finished = false, lastError = "0";
  function sync(method, body) {
    var request = new XMLHttpRequest();
    request.open(method, config.cmiUrl, false);
    request.setRequestHeader("Content-Type", "application/json");
    request.send(body === undefined ? null : JSON.stringify(body));
    return request.status === 200 ? request.responseText : "";
  }
  function count(prefix) {
    var n = 0;
    while (Object.keys(cmi).some(function (k) { return k.indexOf(prefix + n + ".") === 0; })) n++;
    return String(n);
  }
  var defaults = v2004
    ? { "cmi.completion_status": "unknown", "cmi.success_status": "unknown", "cmi.mode": "normal", "cmi.credit": "credit",
        "cmi.learner_id": config.learnerId, "cmi.learner_name": config.learnerName }
    : { "cmi.core.lesson_status": "not attempted", "cmi.core.lesson_mode": "normal", "cmi.core.credit": "credit",
        "cmi.core.student_id": config.learnerId, "cmi.core.student_name": config.learnerName };
  var api = {
    initialize: function () {
      if (started) { lastError = v2004 ? "103" : "101"; return "false"; }
      var stored = sync("GET");
      cmi = stored ? JSON.parse(stored) : {};
      var exit = cmi[v2004 ? "cmi.exit" : "cmi.core.exit"];
      cmi[v2004 ? "cmi.entry" : "cmi.core.entry"] = exit === "suspend" ? "resume" : "ab-initio";
      delete cmi[v2004 ? "cmi.exit" : "cmi.core.exit"];
      delete cmi[v2004 ? "cmi.session_time" : "cmi.core.session_time"];
      started = true; lastError = "0";
      return "true";
    },
    get: function (key) {
      if (!started || finished) { lastError = v2004 ? "122" : "301"; return ""; }
      lastError = "0";
      var match = /^(cmi\.(interactions|objectives))\._count$/.exec(key);
      if (match) return count(match[1] + ".");
      if (key in cmi) return cmi[key];
      if (key in defaults) return defaults[key];
      if (v2004) lastError = "403";
      return "";
    },
    set: function (key, value) {
      if (!started || finished) { lastError = v2004 ? "132" : "301"; return "false"; }
      cmi[key] = String(value); lastError = "0";
      return "true";
    },
    commit: function () {
      if (!started) { lastError = v2004 ? "142" : "301"; return "false"; }
      lastError = "0";
      try { sync("POST", cmi); } catch (e) { // synchronous requests are refused while a page closes
        navigator.sendBeacon(config.cmiUrl, new Blob([JSON.stringify(cmi)], { type: "application/json" }));
      }
      return "true";
    },
    finish: function () {
      if (!started || finished) { lastError = v2004 ? "112" : "301"; return "false"; }
      api.commit();
      finished = true;
      return "true";
    }
  };
  var lastErrorFn = function () { return lastError; };
  var text = function (code) { return "error " + code; };
  if (v2004) {
    window.API_1484_11 = { Initialize: api.initialize, Terminate: api.finish, GetValue: api.get, SetValue: api.set,
      Commit: api.commit, GetLastError: lastErrorFn, GetErrorString: text, GetDiagnostic: text };
  } else {
    window.API = { LMSInitialize: api.initialize, LMSFinish: api.finish, LMSGetValue: api.get, LMSSetValue: api.set,
      LMSCommit: api.commit, LMSGetLastError: lastErrorFn, LMSGetErrorString: text, LMSGetDiagnostic: text };
  }
})();
