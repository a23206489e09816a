/* modpack player: interactive blocks (accordion, tabs, flip cards, steps, hotspots, knowledge
   checks, scenarios) and the drag-and-drop answer area (categorize, matching). Each block is
   already readable as HTML; this makes it interactive, keyboard first, and keeps its state in
   one small integer (or a list for a scenario) so a resume restores it. Plain ES5. */
(function () {
  "use strict";
  window.modpackBlocks = function (core) {
    var el = core.el, t = core.t, tx = core.tx;

    // state: page id -> [value per block]; a value is a number, or a list for a scenario
    function valueOf(page, n) { var list = core.state.blocks[page.id]; return list ? list[n] : undefined; }
    function keep(page, n, value) {
      var list = core.state.blocks[page.id] || (core.state.blocks[page.id] = []);
      list[n] = value;
      core.save();
    }

    function accordion(box, page, n) {
      var items = box.querySelectorAll("details"), bits = valueOf(page, n) || 0;
      [].forEach.call(items, function (d, k) {
        if (bits & (1 << k)) d.open = true;
        d.addEventListener("toggle", function () {
          var now = 0;
          [].forEach.call(items, function (x, j) { if (x.open) now |= 1 << j; });
          keep(page, n, now);
        });
      });
    }
    function tabs(box, page, n) { // the WAI-ARIA tabs pattern: arrows move, Home and End jump
      var panels = [].slice.call(box.querySelectorAll(".mp-tab")), list = el("div", { role: "tablist" }), buttons = [];
      var at = Math.min(valueOf(page, n) || 0, panels.length - 1);
      function select(k, focus) {
        at = k;
        buttons.forEach(function (b, j) { b.setAttribute("aria-selected", j === k ? "true" : "false"); b.tabIndex = j === k ? 0 : -1; });
        panels.forEach(function (p, j) { if (j === k) p.removeAttribute("hidden"); else p.setAttribute("hidden", ""); });
        if (focus) buttons[k].focus();
      }
      panels.forEach(function (panel, k) {
        var id = "b" + page.id + "-" + n + "-" + k, heading = panel.querySelector("h3");
        panel.id = id + "p";
        panel.setAttribute("role", "tabpanel");
        panel.setAttribute("aria-labelledby", id);
        panel.tabIndex = 0;
        if (heading) heading.className = "mp-sr";
        var b = el("button", { type: "button", role: "tab", id: id, "aria-controls": panel.id,
          onclick: function () { select(k); keep(page, n, k); },
          onkeydown: function (e) {
            var to = { ArrowRight: k + 1, ArrowLeft: k - 1, Home: 0, End: panels.length - 1 }[e.key];
            if (to === undefined) return;
            e.preventDefault();
            to = (to + panels.length) % panels.length;
            select(to, true);
            keep(page, n, to);
          } }, [heading ? heading.textContent : String(k + 1)]);
        buttons.push(b);
        list.appendChild(b);
      });
      box.insertBefore(list, box.firstChild);
      select(at);
    }
    function cards(box, page, n) {
      var bits = valueOf(page, n) || 0;
      [].forEach.call(box.querySelectorAll(".mp-card"), function (card, k) {
        var button = el("button", { type: "button", "class": "mp-flip" });
        var faces = [card.querySelector(".mp-front"), card.querySelector(".mp-back")];
        faces.forEach(function (face, side) { if (face) face.id = "mp-card-" + page.id + "-" + n + "-" + k + "-" + side; });
        function draw() {
          var back = !!(bits & (1 << k));
          card.className = "mp-card" + (back ? " mp-flipped" : "");
          // its name says what it does next ("Lihat depan"), not also a pressed state; the face in view
          // describes it, so each card's button is heard with its own text
          button.textContent = t(back ? "flipBack" : "flip");
          if (faces[back ? 1 : 0]) button.setAttribute("aria-describedby", faces[back ? 1 : 0].id);
        }
        button.addEventListener("click", function () { bits ^= 1 << k; draw(); keep(page, n, bits); say(card, bits & (1 << k)); });
        card.appendChild(button);
        draw();
      });
      function say(card, back) { core.say((back ? card.querySelector(".mp-back") : card.querySelector(".mp-front")).textContent); }
    }
    function steps(box, page, n) {
      var items = box.querySelectorAll("li"), shown = Math.max(1, valueOf(page, n) || 1);
      var button = el("button", { type: "button", "class": "mp-primary mp-next-step" });
      function draw(focus) {
        [].forEach.call(items, function (li, k) { if (k < shown) li.removeAttribute("hidden"); else li.setAttribute("hidden", ""); });
        button.textContent = t("nextStep", { n: shown + 1, total: items.length });
        if (shown >= items.length) button.setAttribute("hidden", ""); else button.removeAttribute("hidden");
        if (focus) { items[shown - 1].tabIndex = -1; items[shown - 1].focus(); }
      }
      button.addEventListener("click", function () { shown = Math.min(items.length, shown + 1); draw(true); keep(page, n, shown); });
      box.appendChild(button);
      draw();
    }
    function hotspots(box, page, n) {
      var spots = box.querySelectorAll(".mp-spot"), notes = box.querySelectorAll("ol > li"), bits = valueOf(page, n) || 0;
      var open = -1;
      [].forEach.call(notes, function (li, k) { li.id = "h" + page.id + "-" + n + "-" + k; li.setAttribute("hidden", ""); });
      var listing = box.querySelector("ol");
      if (listing) listing.setAttribute("hidden", ""); // no empty list for a screen reader until a spot is open
      [].forEach.call(spots, function (spot, k) {
        spot.setAttribute("aria-controls", notes[k].id);
        spot.setAttribute("aria-expanded", "false");
        if (bits & (1 << k)) spot.className += " mp-visited";
        spot.addEventListener("click", function () {
          if (open >= 0) { notes[open].setAttribute("hidden", ""); spots[open].setAttribute("aria-expanded", "false"); }
          if (open === k) { open = -1; if (listing) listing.setAttribute("hidden", ""); return; }
          open = k;
          if (listing) listing.removeAttribute("hidden");
          notes[k].removeAttribute("hidden");
          spot.setAttribute("aria-expanded", "true");
          if (spot.className.indexOf("mp-visited") < 0) spot.className += " mp-visited";
          bits |= 1 << k;
          keep(page, n, bits);
          core.say(notes[k].textContent);
        });
      });
    }

    /* ---------- a knowledge check: one question, answered and checked at once ---------- */
    function check(box, page, n, data) {
      // the value: 0 when not answered; else 2 (answered) + 8 * the answer, + 4 if right, + 1 once checked
      var q = data.question, value = valueOf(page, n) || 0;
      var view = { q: q }, name = "c" + page.id + "-" + n;
      var answer = value & 2 ? value >> 3 : null, checked = !!(value & 1);
      if (q.type === "multiple-response" && answer !== null) {
        var list = [];
        q.choices.forEach(function (_, k) { if (answer & (1 << k)) list.push(k); });
        answer = list;
      }
      function code() {
        if (answer === null || answer === undefined || (answer.length === 0 && q.type === "multiple-response")) return 0;
        var bits = q.type === "multiple-response" ? answer.reduce(function (s, k) { return s | (1 << k); }, 0) : answer;
        return 2 + 8 * bits + (checked ? 1 : 0) + (checked && core.isCorrect(view, answer) ? 4 : 0);
      }
      function draw() {
        box.innerHTML = "";
        // the question describes its group, so a radio is heard with it (as a test's questions are)
        var set = el("fieldset", { "class": "mp-q", "aria-describedby": name + "-p" }, [el("legend", { text: t("check") }),
          el("div", { "class": "mp-prompt", id: name + "-p", html: tx(q.prompt) })]);
        var options = q.type === "true-false" ? [[1, t("true")], [0, t("false")]]
          : q.choices.map(function (c, k) { return [k, tx(c.text)]; });
        options.forEach(function (o) {
          var multi = q.type === "multiple-response";
          var on = multi ? (answer || []).indexOf(o[0]) >= 0 : answer === o[0];
          var input = el("input", { type: multi ? "checkbox" : "radio", name: name, id: name + "-" + o[0], value: String(o[0]),
            checked: on, disabled: checked, onchange: function (e) {
              if (!multi) answer = o[0];
              else {
                answer = (answer || []).filter(function (x) { return x !== o[0]; });
                if (e.target.checked) answer.push(o[0]);
                answer.sort();
              }
              keep(page, n, code());
            } });
          set.appendChild(el("div", { "class": "mp-option" }, [input, el("label", { "for": name + "-" + o[0], html: o[1] })]));
        });
        var button = el("button", { type: "button", "class": checked ? "" : "mp-primary", onclick: function () {
          if (checked) { // the button that had focus is redrawn: focus goes to the first choice
            checked = false; answer = null; keep(page, n, 0); draw();
            var first = box.querySelector("input");
            if (first) first.focus();
            core.say(t("answerCleared"));
            return;
          }
          if (!core.answered(view, answer)) {
            if (!set.querySelector(".mp-note")) set.insertBefore(el("p", { "class": "mp-note", text: t("chooseFirst") }), button.nextSibling);
            core.say(t("chooseFirst"));
            return;
          }
          checked = true;
          var ok = core.isCorrect(view, answer);
          keep(page, n, code());
          if (core.tracker().tracking() && core.tracker().checked) core.tracker().checked(page, n, data, answer, ok);
          draw();
          var fb = box.querySelector(".mp-feedback");
          if (fb) { fb.tabIndex = -1; fb.focus(); }
          core.say(t(ok ? "correct" : "incorrect"));
        } }, [t(checked ? "tryAgain" : "checkAnswer")]);
        set.appendChild(button);
        if (checked) set.appendChild(core.feedback(view, answer));
        box.appendChild(set);
      }
      draw();
    }

    /* ---------- a branching scenario ---------- */
    function scenario(box, page, n, data) {
      var byId = {};
      data.scenes.forEach(function (s) { byId[s.id] = s; });
      var path = (valueOf(page, n) || []).slice(); // the choices taken, by index
      box.querySelector(".mp-scenes").setAttribute("hidden", "");
      var stage = el("div", { "class": "mp-stage" }); // not live: focus moves to what is new, read once
      box.appendChild(stage);
      function walk() { // the scene the path leads to, and the feedback of its last choice
        var scene = data.scenes[0], last = null;
        for (var i = 0; i < path.length; i++) {
          var choice = scene.choices[path[i]];
          if (!choice) { path = path.slice(0, i); break; }
          last = choice;
          scene = byId[choice.next];
        }
        return { scene: scene, last: last };
      }
      function draw(focus) {
        var at = walk(), scene = at.scene;
        stage.innerHTML = "";
        // the choice's feedback, the scene it leads to and its outcome, in the order they are read, and
        // focused together: a screen reader reads on from the feedback, not past it
        var turn = el("div", { "class": "mp-turn", tabindex: "-1" });
        if (at.last && at.last.feedback) turn.appendChild(el("div", { "class": "mp-feedback", html: at.last.feedback }));
        turn.appendChild(el("div", { "class": "mp-scene", html: scene.html }));
        stage.appendChild(turn);
        if (scene.choices.length) {
          var group = el("div", { "class": "mp-choices", role: "group", "aria-label": t("whatNext") });
          scene.choices.forEach(function (choice, k) {
            group.appendChild(el("button", { type: "button", html: choice.html, onclick: function () {
              path.push(k); keep(page, n, path.slice()); draw(true);
              var end = walk().scene;
              if (!end.choices.length && core.tracker().tracking() && core.tracker().scenario) {
                core.tracker().scenario(page, data, path.slice(), end);
              }
            } }));
          });
          stage.appendChild(group);
        } else {
          turn.appendChild(el("p", { "class": "mp-outcome mp-" + scene.outcome, text: t("outcome_" + scene.outcome) }));
          stage.appendChild(el("button", { type: "button", onclick: function () { path = []; keep(page, n, []); draw(true); } },
            [t("restartCase")]));
        }
        if (focus) turn.focus();
      }
      draw();
    }

    var KINDS = { accordion: accordion, tabs: tabs, "flip-cards": cards, steps: steps, hotspots: hotspots,
      check: check, scenario: scenario };
    function enhance(body, page, data) {
      // a block's headings (h3) follow the page's own: one level below the heading before them (an h2
      // on a page whose text has no heading, under the player's h1), as screen readers list them
      var above = 1;
      [].forEach.call(body.querySelectorAll("h1, h2, h3, h4, h5, h6"), function (h) {
        var level = parseInt(h.tagName.slice(1), 10);
        if (!(h.closest && h.closest(".mp-block"))) above = level;
        else if (level > above + 1) h.setAttribute("aria-level", String(above + 1));
      });
      [].forEach.call(body.querySelectorAll(".mp-block[data-block]"), function (box) {
        var n = parseInt(box.getAttribute("data-block"), 10), kind = box.getAttribute("data-kind");
        if (KINDS[kind]) KINDS[kind](box, page, n, (data || [])[n] || {});
      });
      [].forEach.call(body.querySelectorAll(".mp-callout"), function (box) {
        if (!box.querySelector(".mp-callout-title") && box.getAttribute("data-callout") !== "quote") {
          box.insertBefore(el("p", { "class": "mp-callout-title", text: t("callout_" + box.getAttribute("data-callout")) }),
            box.firstChild);
        }
      });
    }

    /* ---------- suspend data: every block's value as varints in base 64, in module order ---------- */
    var DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    function put(n) { var s = ""; do { var d = n & 31; n = Math.floor(n / 32); s += DIGITS.charAt(n ? d + 32 : d); } while (n); return s; }
    function encode(list) {
      var out = "";
      list.forEach(function (page) {
        (page.blocks || []).forEach(function (kind, k) {
          if (kind === "timeline" || kind === "callout") return;
          var v = (core.state.blocks[page.id] || [])[k];
          if (kind === "scenario") { v = v || []; out += put(v.length); v.forEach(function (c) { out += put(c); }); }
          else out += put(v || 0);
        });
      });
      return out;
    }
    function decode(list, text) {
      var at = 0;
      function get() {
        var n = 0, scale = 1, d;
        do { d = DIGITS.indexOf(text.charAt(at++)); if (d < 0) throw new Error("bad"); n += (d & 31) * scale; scale *= 32; } while (d & 32);
        return n;
      }
      try {
        list.forEach(function (page) {
          (page.blocks || []).forEach(function (kind, k) {
            if (kind === "timeline" || kind === "callout") return;
            var v;
            if (kind === "scenario") { v = []; for (var c = get(); c > 0; c--) v.push(get()); } else v = get();
            if ((kind === "scenario" && v.length) || (kind !== "scenario" && v)) {
              (core.state.blocks[page.id] = core.state.blocks[page.id] || [])[k] = v;
            }
          });
        });
      } catch (e) { core.state.blocks = {}; } // another version of the module: start the blocks afresh
    }

    /* ---------- the drag-and-drop answer area: items into places, by pointer, tap or keys ---------- */
    function buckets(set, items, places, answer, single, locked, store) {
      // answer[i]: the place of item i, or -1; single: a place holds one item (matching)
      var picked = -1, area = el("div", { "class": "mp-buckets" }), pool = el("ul", { "class": "mp-pool", "aria-label": t("toPlace") });
      var lists = [];
      function chip(i) {
        return el("button", { type: "button", "class": "mp-chip", "data-item": String(i), disabled: locked,
          "aria-pressed": picked === i ? "true" : "false", html: tx(items[i].text),
          onclick: function () { picked = picked === i ? -1 : i; draw(i); if (picked >= 0) core.say(t("picked", { item: core.plain(tx(items[i].text)) })); },
          onpointerdown: function (e) { drag(e, i); } });
      }
      function place(i, p) {
        var displaced = []; // a matching place holds one item: the one there goes back, and is said to
        if (single && p >= 0) answer.forEach(function (q, j) { if (q === p && j !== i) { answer[j] = -1; displaced.push(j); } });
        answer[i] = p; picked = -1; store(answer.slice()); draw(i);
        core.say((p < 0 ? t("returned", { item: core.plain(tx(items[i].text)) })
          : t("placed", { item: core.plain(tx(items[i].text)), place: core.plain(tx(places[p].text)) }))
          + displaced.map(function (j) { return " " + t("returned", { item: core.plain(tx(items[j].text)) }); }).join(""));
      }
      function draw(focus) {
        pool.innerHTML = "";
        lists.forEach(function (l) { l.innerHTML = ""; });
        items.forEach(function (_, i) {
          var where = answer[i] >= 0 ? lists[answer[i]] : pool;
          where.appendChild(el("li", {}, [chip(i)]));
        });
        [].forEach.call(area.querySelectorAll(".mp-drop"), function (b) { b.disabled = locked || picked < 0; });
        var back = area.querySelector(".mp-back-pool");
        back.disabled = locked || picked < 0 || answer[picked] < 0;
        if (focus !== undefined) { var c = area.querySelector('[data-item="' + focus + '"]'); if (c) c.focus(); }
      }
      function drag(e, i) {
        if (locked || e.button > 0) return;
        var start = { x: e.clientX, y: e.clientY }, ghost = null, source = e.currentTarget;
        function move(ev) {
          if (!ghost && Math.abs(ev.clientX - start.x) + Math.abs(ev.clientY - start.y) < 8) return;
          if (!ghost) { ghost = source.cloneNode(true); ghost.className += " mp-ghost"; document.body.appendChild(ghost); }
          ghost.style.left = ev.clientX + "px"; ghost.style.top = ev.clientY + "px";
          ev.preventDefault();
        }
        function up(ev) {
          document.removeEventListener("pointermove", move);
          document.removeEventListener("pointerup", up);
          if (!ghost) return; // a tap: the click picks the item
          ghost.parentNode.removeChild(ghost);
          var target = document.elementFromPoint(ev.clientX, ev.clientY), zone = target && target.closest(".mp-place, .mp-pool");
          if (zone) place(i, zone.className.indexOf("mp-pool") >= 0 ? -1 : parseInt(zone.getAttribute("data-place"), 10));
          source.blur();
          suppress = true;
        }
        document.addEventListener("pointermove", move);
        document.addEventListener("pointerup", up);
      }
      var suppress = false;
      area.addEventListener("click", function (e) { if (suppress) { suppress = false; e.stopPropagation(); e.preventDefault(); } }, true);
      area.appendChild(pool);
      area.appendChild(el("button", { type: "button", "class": "mp-back-pool", onclick: function () { if (picked >= 0) place(picked, -1); } },
        [t("returnItem")]));
      places.forEach(function (p, k) {
        var list = el("ul");
        lists.push(list);
        area.appendChild(el("div", { "class": "mp-place", "data-place": String(k) }, [
          el("p", { "class": "mp-place-name", html: tx(p.text) }), list,
          el("button", { type: "button", "class": "mp-drop", onclick: function () { if (picked >= 0) place(picked, k); } },
            [t("placeHere", { place: core.plain(tx(p.text)) })])
        ]));
      });
      set.appendChild(el("p", { "class": "mp-hint", text: t("dragHint") }));
      set.appendChild(area);
      draw();
    }

    return { enhance: enhance, encode: encode, decode: decode, buckets: buckets };
  };
})();
