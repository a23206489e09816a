"""The report as one HTML file: no CDN, no framework, readable on a phone and without JavaScript.

The chart is inline SVG drawn here, with its numbers in a table beside it; the small script only
filters and sorts the learner table, which reads whole without it.
"""

from __future__ import annotations

import os
from datetime import datetime
from html import escape
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..atomic import replaced
from ..messages import language, t
from .figures import COMPLETED, IN_PROGRESS, NOT_STARTED, DayRow, LearnerRow
from .report import Report
from .tables import modpack_version, reason_text, who

CSS = """
*{box-sizing:border-box}[hidden]{display:none!important}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:#1a1a1a;background:#fff}
header,main,footer{max-width:72rem;margin:0 auto;padding:0 1rem}
header{padding-top:1rem}
h1{font-size:1.5rem;margin:.5rem 0}
h2{font-size:1.2rem;margin:2rem 0 .5rem;border-bottom:2px solid #0b5394;padding-bottom:.25rem}
.provenance,.privacy,.note{font-size:.9rem;color:#3d3d3d}
.privacy{border-left:4px solid #8a5a00;padding:.25rem .75rem;background:#fff8e6}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;z-index:2}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(9rem,1fr));gap:.5rem;list-style:none;padding:0;margin:0}
.cards li{border:1px solid #c8c8c8;border-radius:.5rem;padding:.5rem .75rem}
.cards strong{display:block;font-size:1.6rem;line-height:1.2}
.scroll{overflow-x:auto;border:1px solid #dcdcdc;border-radius:.25rem}
.scroll:focus{outline:3px solid #0b5394}
table{border-collapse:collapse;width:100%;font-size:.9rem}
caption{text-align:left;font-weight:600;padding:.5rem}
th,td{padding:.4rem .5rem;border-bottom:1px solid #e3e3e3;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
thead th{background:#eef3f9;position:sticky;top:0}
th button{font:inherit;font-weight:600;background:none;border:0;padding:0;color:#0b3d73;cursor:pointer;text-align:inherit}
th button:focus{outline:2px solid #0b5394}
th[aria-sort=ascending] button::after{content:" \\25B2"}th[aria-sort=descending] button::after{content:" \\25BC"}
.status-not-started{color:#a4262c}.status-in-progress{color:#7a4b00}.status-completed{color:#1b6b34}
.who small{display:block;color:#4a4a4a}
form{display:flex;flex-wrap:wrap;gap:.5rem 1rem;margin:.5rem 0}
form label{display:flex;flex-direction:column;font-size:.85rem;font-weight:600}
input,select{font:inherit;padding:.3rem;border:1px solid #767676;border-radius:.25rem;min-width:10rem}
figure{margin:0}
svg{width:100%;height:auto;max-width:40rem}
details{margin:.5rem 0}
footer{padding:2rem 1rem;font-size:.85rem;color:#4a4a4a}
.legend{display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;font-size:.9rem;margin:.25rem 0}
.legend span::before{content:"";display:inline-block;width:1.5rem;height:.25rem;margin-right:.4rem;vertical-align:middle}
.legend .l-started::before{border-top:3px dashed #1f5fa8;height:0}
.legend .l-completed::before{background:#1b6b34}
.legend .l-bars::before{background:#9cc3e6;height:.75rem;width:.75rem}
#learners td:first-child,#learners th:first-child{position:sticky;left:0;background:#fff}
#learners thead th:first-child{background:#eef3f9;z-index:1}
@media (max-width:40rem){
table.stack thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
table.stack tr{display:block;border-bottom:2px solid #c8c8c8;padding:.25rem 0}
table.stack td{display:flex;justify-content:space-between;gap:1rem;border:0;text-align:right;padding:.15rem .5rem}
table.stack td::before{content:attr(data-label);font-weight:600;text-align:left}
table.stack td.who{display:block;text-align:left}table.stack td.who::before{content:none}
}
"""

SCRIPT = """(function(){
var table=document.getElementById("learners");if(!table)return;
var body=table.tBodies[0],rows=[].slice.call(body.rows),form=document.getElementById("filters");
var q=document.getElementById("q"),fd=document.getElementById("fd"),fs=document.getElementById("fs"),count=document.getElementById("count");
form.hidden=false;
function apply(){var text=q.value.trim().toLowerCase(),d=fd.value,s=fs.value,n=0;
rows.forEach(function(r){var show=(!d||r.getAttribute("data-d")===d)&&(!s||r.getAttribute("data-s")===s||(s==="follow-up"&&r.hasAttribute("data-f")))&&(!text||r.cells[0].textContent.toLowerCase().indexOf(text)>=0);
r.hidden=!show;if(show)n++;});count.textContent=count.getAttribute("data-template").replace("{n}",n);}
[q,fd,fs].forEach(function(e){e.addEventListener("input",apply);e.addEventListener("change",apply);});
form.addEventListener("submit",function(e){e.preventDefault();});
function key(c){var v=c.getAttribute("data-v");if(v===null)return c.textContent.toLowerCase();var n=parseFloat(v);return isNaN(n)?v:n;}
[].forEach.call(table.tHead.rows[0].cells,function(th){var b=th.querySelector("button");if(!b)return;
b.addEventListener("click",function(){var col=th.cellIndex,asc=th.getAttribute("aria-sort")!=="ascending";
[].forEach.call(table.tHead.rows[0].cells,function(h){h.removeAttribute("aria-sort");});
th.setAttribute("aria-sort",asc?"ascending":"descending");
rows.sort(function(a,b){var x=key(a.cells[col]),y=key(b.cells[col]);return(x<y?-1:x>y?1:0)*(asc?1:-1);});
var f=document.createDocumentFragment();rows.forEach(function(r){f.appendChild(r);});body.appendChild(f);});});
})();"""


def _number(value: float | None, lang: str) -> str:
    if value is None:
        return "–"
    text = f"{value:.1f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    return text.replace(".", ",") if lang == "id" else text


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value is not None else "–"


def _title(values: dict[str, str], lang: str) -> str:
    for wanted in (lang,):
        for key, text in values.items():
            if key.lower().startswith(wanted):
                return text
    return next(iter(values.values()), "")


def status_label(status: str) -> str:
    return {NOT_STARTED: t("not started"), IN_PROGRESS: t("in progress"), COMPLETED: t("completed")}[status]


def chart(days: list[DayRow], lang: str) -> str:
    """Two lines over the diklat's days: learners who have started, and who have completed."""
    width, height, left, right, top, bottom = 360, 200, 34, 8, 12, 26
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = max([d.started for d in days] + [d.completions for d in days] + [1])
    n = len(days)

    pad = min(plot_w / max(n, 1) * 0.35, 10.0)  # room for the first and last day's bars

    def x(i: int) -> float:
        return left + pad + ((plot_w - 2 * pad) * i / (n - 1) if n > 1 else plot_w / 2 - pad)

    def y(v: float) -> float:
        return top + plot_h * (1 - v / top_value)

    parts = [f'<svg viewBox="0 0 {width} {height}" role="img" aria-labelledby="chart-title chart-desc" '
             f'xmlns="http://www.w3.org/2000/svg" font-size="13" font-family="system-ui,sans-serif">',
             f'<title id="chart-title">{escape(t("Learners who started and who completed, and modules completed each day"))}</title>']
    last = days[-1] if days else None
    desc = t("{days} days from {first} to {last}; by the last day {started} had started and {completed} had "
             "completed.", days=n, first=days[0].day.isoformat() if days else "-",
             last=last.day.isoformat() if last else "-", started=last.started if last else 0,
             completed=last.completed if last else 0)
    parts.append(f'<desc id="chart-desc">{escape(desc)}</desc>')
    for value in sorted({0, top_value // 2, top_value}):
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="#d0d0d0"/>')
        parts.append(f'<text x="{left - 6}" y="{y(value) + 4:.1f}" text-anchor="end" fill="#333">{value}</text>')
    for i in sorted({0, (n - 1) // 2, n - 1} if n else set()):
        anchor = "start" if i == 0 and n > 1 else ("end" if i == n - 1 and n > 1 else "middle")
        parts.append(f'<text x="{x(i):.1f}" y="{height - bottom + 18}" text-anchor="{anchor}" fill="#333">'
                     f'{days[i].day.strftime("%d/%m")}</text>')
    bar = max(plot_w / max(n, 1) * 0.6, 1.0)
    for i, d in enumerate(days):  # modules completed each day, as light bars behind the lines
        if d.completions:
            parts.append(f'<rect x="{x(i) - bar / 2:.1f}" y="{y(d.completions):.1f}" width="{bar:.1f}" '
                         f'height="{top + plot_h - y(d.completions):.1f}" fill="#9cc3e6"/>')
    for field, colour, dash, label in (("started", "#1f5fa8", "6 4", t("started")),
                                       ("completed", "#1b6b34", "", t("completed"))):
        points = " ".join(f"{x(i):.1f},{y(getattr(d, field)):.1f}" for i, d in enumerate(days))
        if n == 1:
            points += f" {x(0) + 1:.1f},{y(getattr(days[0], field)):.1f}"
        if points:
            parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="3" '
                         f'{"stroke-dasharray=" + chr(34) + dash + chr(34) + " " if dash else ""}points="{points}"/>')
    parts.append("</svg>")
    return "".join(parts)


def _table(caption: str, head: list[tuple[str, bool]], body: Iterable[str], table_id: str,
           sortable: bool = False, stacked: bool = False) -> Iterator[str]:
    """A table in pieces, row by row: a cohort's learner table is too long to build as one string."""
    cells = []
    for label, numeric in head:
        inner = f'<button type="button">{escape(label)}</button>' if sortable else escape(label)
        cells.append(f'<th scope="col"{" class=n" if numeric else ""}>{inner}</th>')
    label_id = f"{table_id}-caption"
    kind = ' class="stack"' if stacked else ""
    yield (f'<div class="scroll" role="region" tabindex="0" aria-labelledby="{label_id}"><table id="{table_id}"{kind}>'
           f'<caption id="{label_id}">{escape(caption)}</caption><thead><tr>{"".join(cells)}</tr></thead><tbody>')
    yield from body
    yield "</tbody></table></div>"


def _cell(text: str, value: Any = None, numeric: bool = False, label: str = "") -> str:
    attrs = (' class="n"' if numeric else "") + (f' data-v="{escape(str(value))}"' if value is not None else "")
    attrs += f' data-label="{escape(label)}"' if label else ""
    return f"<td{attrs}>{text}</td>"


def render(report: Report) -> Iterable[str]:
    """The report's HTML, in pieces (a large cohort's learner table is long)."""
    lang = language()
    s = report.summary
    title = _title(report.course.title, lang)
    yield (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
           f'<meta name="viewport" content="width=device-width, initial-scale=1">'
           f'<title>{escape(t("Progress: {course}", course=title))}</title><style>{CSS}</style></head><body>')
    yield f'<a class="skip" href="#peserta">{escape(t("Skip to the learners"))}</a><header>'
    heading = t("Progress: {course}", course=title)
    if report.district:
        heading += " — " + report.district
    yield f"<h1>{escape(heading)}</h1>"
    yield f'<p class="provenance">{escape(provenance_line(report))}</p>'
    privacy = (t("Names and ids are replaced with stable codes (pseudonymised); districts and roles are kept.")
               if report.pseudonymised else
               t("This report holds learners' personal data: keep it and share it only with those who supervise them."))
    yield f'<p class="privacy">{escape(privacy)}</p></header><main>'

    yield f'<section aria-labelledby="ringkasan"><h2 id="ringkasan">{escape(t("Cohort summary"))}</h2><ul class="cards">'
    for value, label in ((s.enrolled, t("enrolled")), (s.not_started, t("not started")),
                         (s.in_progress, t("in progress")), (s.completed, t("completed")), (s.passed, t("passed")),
                         (s.lagging, t("behind or stuck")), (s.follow_up, t("need follow-up")),
                         (_number(s.jp, lang), t("JP earned in all")),
                         (s.at_target, t("reached {target} JP", target=_number(report.target_jp, lang)))):
        yield f"<li><strong>{escape(str(value))}</strong>{escape(label)}</li>"
    yield "</ul></section>"

    yield f'<section aria-labelledby="harian"><h2 id="harian">{escape(t("Completions by day"))}</h2>'
    if report.days:
        yield (f"<figure>{chart(report.days, lang)}<figcaption class=\"legend\">"
               f'<span class="l-started">{escape(t("started"))}</span>'
               f'<span class="l-completed">{escape(t("completed"))}</span>'
               f'<span class="l-bars">{escape(t("modules completed that day"))}</span></figcaption></figure>')
        yield f"<details><summary>{escape(t('The numbers by day'))}</summary>"
        yield from _table(t("Learners by day"), [(t("day"), False), (t("started"), True), (t("completed"), True),
                                            (t("modules completed that day"), True)],
                     (f"<tr><td>{d.day.isoformat()}</td>{_cell(str(d.started), numeric=True)}"
                      f"{_cell(str(d.completed), numeric=True)}{_cell(str(d.completions), numeric=True)}</tr>"
                      for d in report.days), "days")
        yield "</details>"
    else:
        yield f'<p>{escape(t("The cohort has not begun yet."))}</p>'
    yield "</section>"

    yield f'<section aria-labelledby="wilayah"><h2 id="wilayah">{escape(t("By district"))}</h2>'
    yield f'<p class="note">{escape(t("The districts with the largest share of learners behind or stuck come first."))}</p>'
    head = [(t("district"), False), (t("province"), False), (t("enrolled"), True), (t("not started"), True),
            (t("in progress"), True), (t("completed"), True), (t("passed"), True), (t("behind or stuck"), True),
            (t("share behind"), True), (t("mean JP"), True)]
    labels = [label for label, _ in head]

    def district_row(d: Any) -> str:
        values = [escape(d.district or "–"), escape(d.province or "–")] + [
            str(v) for v in (d.enrolled, d.not_started, d.in_progress, d.completed, d.passed, d.lagging)] + [
            f"{_number(round(d.lagging_share * 100, 1), lang)} %", _number(round(d.mean_jp, 2), lang)]
        return "<tr>" + "".join(_cell(v, numeric=k > 1, label=labels[k]) for k, v in enumerate(values)) + "</tr>"

    yield from _table(t("Districts, the most lagging first"), head, (district_row(d) for d in report.districts),
                 "districts", stacked=True)
    yield "</section>"

    follow = report.follow_up
    yield (f'<section aria-labelledby="tindak-lanjut"><h2 id="tindak-lanjut">{escape(t("Needs follow-up"))} '
           f"({len(follow)})</h2>")
    yield f'<p class="note">{escape(follow_up_rule(report))}</p>'
    if follow:
        yield from _table(t("Learners to contact"), [(t("learner"), False), (t("district"), False), (t("why"), False),
                                                 (t("last activity"), False)],
                     (_follow_row(report, row) for row in follow), "follow-up", stacked=True)
    else:
        yield f"<p>{escape(t('No one needs following up today.'))}</p>"
    yield "</section>"

    yield from _learners(report, lang)
    if report.notes:
        yield f'<section aria-labelledby="catatan"><h2 id="catatan">{escape(t("Left out"))}</h2><ul>'
        for note in report.notes:
            yield f"<li>{escape(note)}</li>"
        yield "</ul></section>"
    yield (f"</main><footer>{escape(t('Made by modpack {version}.', version=modpack_version()))}</footer>"
           f"<script>{SCRIPT}</script></body></html>\n")


def _follow_row(report: Report, row: LearnerRow) -> str:
    ident, name = who(report, row)
    reasons = "<br>".join(escape(reason_text(r, m, row, report)) for r, m in row.reasons)
    return (f'<tr><td class="who" data-label="{escape(t("learner"))}">{escape(name)}<small>{escape(ident)}</small></td>'
            + _cell(escape(row.learner.district or "–"), label=t("district")) + _cell(reasons, label=t("why"))
            + _cell(_when(row.last), label=t("last activity")) + "</tr>")


def _learners(report: Report, lang: str) -> Iterable[str]:
    districts = sorted({r.learner.district for r in report.learners if r.learner.district})
    yield f'<section aria-labelledby="peserta"><h2 id="peserta">{escape(t("Learners"))}</h2>'
    yield (f'<form id="filters" role="search" hidden><label for="q">{escape(t("Search a name or id"))}'
           f'<input id="q" type="search" autocomplete="off"></label>'
           f'<label for="fd">{escape(t("district"))}<select id="fd"><option value="">{escape(t("all"))}</option>')
    for d in districts:
        yield f'<option value="{escape(d)}">{escape(d)}</option>'
    yield (f'</select></label><label for="fs">{escape(t("status"))}<select id="fs">'
           f'<option value="">{escape(t("all"))}</option>'
           f'<option value="{NOT_STARTED}">{escape(t("not started"))}</option>'
           f'<option value="{IN_PROGRESS}">{escape(t("in progress"))}</option>'
           f'<option value="{COMPLETED}">{escape(t("completed"))}</option>'
           f'<option value="follow-up">{escape(t("need follow-up"))}</option></select></label></form>')
    template = t("{n} learners shown")
    yield (f'<p id="count" aria-live="polite" data-template="{escape(template)}">'
           f"{escape(template.replace('{n}', str(len(report.learners))))}</p>")
    modules, lessons = len(report.modules), report.catalogue.lessons
    head = [(t("learner"), False), (t("district"), False), (t("status"), False), (t("modules"), True),
            (t("lessons"), True), (t("post-test"), True), (t("JP"), True), (t("last activity"), False),
            (t("days inactive"), True)]
    ordered = sorted(report.learners, key=lambda r: (r.learner.district, r.learner.name))
    yield from _table(t("Every learner: {modules} modules, {lessons} lessons", modules=modules, lessons=lessons), head,
                 (_learner_row(report, row, modules, lessons, lang) for row in ordered), "learners", sortable=True)
    yield "</section>"


def _learner_row(report: Report, row: LearnerRow, modules: int, lessons: int, lang: str) -> str:
    ident, name = who(report, row)
    follow = " data-f" if row.reasons else ""
    status = status_label(row.status) + (" · " + t("passed") if row.passed else "")
    return (f'<tr data-d="{escape(row.learner.district)}" data-s="{row.status}"{follow}>'
            f'<td class="who">{escape(name)}<small>{escape(ident)}</small></td>'
            f"<td>{escape(row.learner.district or '–')}</td>"
            f'<td class="status-{row.status}">{escape(status)}</td>'
            + _cell(f"{row.modules_done}/{modules}", row.modules_done, True)
            + _cell(f"{row.lessons_done}/{lessons}", row.lessons_done, True)
            + _cell(_number(row.post_test, lang), -1 if row.post_test is None else row.post_test, True)
            + _cell(_number(row.jp, lang), row.jp, True)
            + _cell(_when(row.last), row.last.isoformat() if row.last else "")
            + _cell(str(row.days_inactive), row.days_inactive, True) + "</tr>")


def follow_up_rule(report: Report) -> str:
    o = report.options
    return t("Not started {a} days after the cohort began, inactive for {b} days, or a post-test failed twice; "
             "behind: fewer modules completed than a diklat of {days} days would have by now.",
             a=o.not_started_after, b=o.inactive_after, days=o.days)


def provenance_line(report: Report) -> str:
    sources = ", ".join(n.source for n in report.sources)
    line = t("From {sources}; cohort {cohort} ({learners} learners); {read} statements read, {counted} about "
             "this cohort and course.", sources=sources, cohort=os.path.basename(report.cohort_path),
             learners=len(report.tally.learners), read=report.tally.read, counted=report.tally.counted)
    if report.since:
        line += " " + t("Statements stored since {since}.", since=report.since)
    line += " " + t("As of {as_of} ({zone}); made {made} by modpack {version}.",
                    as_of=_when(report.options.as_of.astimezone(report.options.zone)), zone=str(report.options.zone),
                    made=_when(report.made), version=modpack_version())
    return line


def write_html(report: Report, out: str | os.PathLike[str]) -> Path:
    """Writes the report beside ``out`` first, then renames it into place whole."""
    with replaced(out) as handle:  # personal data: readable by its owner only (see atomic.py)
        for piece in render(report):
            handle.write(piece)
    return Path(out)
