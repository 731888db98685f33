"""The stylesheet and the pager script embedded in the HTML report (``reviewer.report``).

Nothing here is fetched at view time: the report is one file that works offline. The
script reads the item data from a ``<script type="application/json">`` block and builds
every node with ``textContent``, so no input text is ever parsed as HTML.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from reviewer.core.categories import Category
from reviewer.core.decisions import VERDICT_NAMES, VERDICTS
from reviewer.core.palette import colour

# Review status -> palette swatch, for the progress bar.
STATUS_SWATCHES: dict[str, str] = {
    "kept": "mint", "revised": "light_yellow", "removed": "pink", "unreviewed": "pale_grey",
}
# A category id the catalogue does not know still gets a rule, so no edit is left unstyled.
FALLBACK = ("other", "orange")

_BASE_CSS = """
:root{--bg:#ffffff;--fg:#1b1b1b;--muted:#5f6368;--line:#d5d5d5;--panel:#f5f5f5;
--accent:#1f5fa8;color-scheme:light dark}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);
font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif}
main{max-width:1180px;margin:0 auto;padding:8px 24px 64px}
h1{font-size:1.5em;margin:18px 0 4px}
h2{font-size:1.2em;margin:32px 0 10px;padding-bottom:4px;border-bottom:1px solid var(--line)}
h3{font-size:1em;margin:16px 0 6px}
.meta{color:var(--muted);margin:0}
nav.toc{margin:10px 0 0;display:flex;gap:16px;flex-wrap:wrap}
a{color:var(--accent)}
table{border-collapse:collapse;margin:4px 0 8px}
th,td{padding:4px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:middle}
th{font-weight:600}
tbody th{white-space:nowrap}
figure{margin:0}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.ci{color:var(--muted);font-size:.88em;font-weight:400}
.better{color:#1a7f37}.worse{color:#c62828}
.moved{font-weight:700}
.note{color:var(--muted);font-size:.9em;max-width:900px}
svg.iv{display:block}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(440px,1fr));gap:8px 32px}
.bar-row{display:grid;grid-template-columns:150px 1fr 92px;align-items:center;gap:8px;
margin:3px 0}
.bar-track{display:flex;flex-direction:column;gap:2px}
.bar{display:block;height:9px;border-radius:2px;min-width:1px}
.bar.zero{min-width:0}
.bar.cleaned{background-image:repeating-linear-gradient(135deg,rgba(255,255,255,.55) 0 3px,
transparent 3px 6px)}
.bar-num{text-align:right;font-variant-numeric:tabular-nums;font-size:.9em}
.key{display:flex;gap:18px;align-items:center;color:var(--muted);font-size:.9em;margin:6px 0}
.key .bar{width:32px}
.key-bar{background-color:var(--muted)}
.chip{display:inline-block;min-width:34px;text-align:center;border-radius:3px;
padding:0 4px;font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace}
.stack{display:flex;height:18px;border-radius:3px;overflow:hidden;max-width:900px;
border:1px solid var(--line)}
.stack>span{display:block;height:100%}
.toolbar{position:sticky;top:0;z-index:2;background:var(--bg);padding:8px 0;
border-bottom:1px solid var(--line);display:flex;flex-wrap:wrap;gap:8px;align-items:center}
.toolbar input,.toolbar select,.toolbar button{font:inherit;padding:2px 6px;color:var(--fg);
background:var(--panel);border:1px solid var(--line);border-radius:4px}
.toolbar input[type=number]{width:5.5em}
.toolbar .grow{flex:1}
.item{border:1px solid var(--line);border-radius:6px;margin:12px 0;padding:8px 12px;
background:var(--bg)}
.item-head{display:flex;gap:10px;align-items:baseline;flex-wrap:wrap}
.item-id{font-weight:700;font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace}
.badge{border:1px solid var(--line);border-radius:10px;padding:0 8px;font-size:.85em}
.v-reference_error,.v-unusable,.v-ambiguous{border-color:currentColor}
.muted{color:var(--muted)}
.field{margin:4px 0;font-size:.92em}
.field b{font-weight:600;margin-right:6px}
.system{margin-top:8px}
.sys-head{font-size:.9em;margin-bottom:2px}
.diff{display:flex;flex-wrap:wrap;align-items:flex-start;row-gap:8px;
font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:14px}
.col{display:inline-flex;flex-direction:column;max-width:100%}
.col>span{white-space:pre;min-height:1.45em;padding:0 1px}
.col>.h{border-top:1px dotted var(--line)}
.col.e>span{white-space:pre-wrap;word-break:break-all;border-radius:2px}
.col.gutter>span{color:var(--muted);font-size:.8em;padding-right:8px;line-height:1.8}
.gap{opacity:.65}
.br{flex-basis:100%;height:0}
.sys-head .spans{margin-left:10px}
.field .spans{white-space:pre-wrap}
.span-mark{border-radius:3px;padding:0 3px}
.span-tag{font-size:.75em;color:var(--muted);margin:0 2px 0 1px;vertical-align:super}
.cat-counts{display:flex;flex-wrap:wrap;gap:6px;margin-top:4px;font-size:.85em}
figure.thumb{margin:6px 0}
figure.thumb img{display:block;max-width:100%;height:auto;border:1px solid var(--line);
background:#fff}
figure.thumb img.pixels{image-rendering:pixelated}
figure.thumb figcaption{font-size:.85em;word-break:break-all}
.empty{color:var(--muted);padding:12px 0}
"""

_DARK_BASE = (":root{--bg:#1e1e1e;--fg:#e6e6e6;--muted:#a3a3a3;--line:#474747;"
              "--panel:#2b2b2b;--accent:#8ab4f8}"
              ".better{color:#7bd88f}.worse{color:#ff8a80}"
              ".bar.cleaned{background-image:repeating-linear-gradient(135deg,"
              "rgba(0,0,0,.45) 0 3px,transparent 3px 6px)}")


def _rules(classes: Iterable[tuple[str, str]], theme: str) -> str:
    text = "#000000" if theme == "light" else "#FFFFFF"
    return "".join(f".{cls}{{background-color:{colour(swatch, theme)};color:{text}}}"
                   for cls, swatch in classes)


def stylesheet(category_swatches: dict[str, str]) -> str:
    """The report's CSS: layout, and one rule per category and status from the palette.

    ``category_swatches`` maps category id to palette swatch; each id gets the class
    ``c-<id>`` in the light theme and, under ``prefers-color-scheme: dark``, the dark one.
    """
    classes = [(f"c-{cid}", swatch) for cid, swatch in category_swatches.items()]
    classes.append((f"c-{FALLBACK[0]}", FALLBACK[1]))
    classes += [(f"s-{status}", swatch) for status, swatch in STATUS_SWATCHES.items()]
    return (_BASE_CSS.strip() + "\n" + _rules(classes, "light")
            + "\n@media (prefers-color-scheme: dark){" + _DARK_BASE
            + _rules(classes, "dark") + "}\n")


def legend_section(cats: Iterable[Category]) -> str:
    """The legend: each category's colour chip, name and definition, and how to read a diff."""
    rows = "".join(
        f'<tr><td><span class="chip c-{escape(c.id)}">ab</span></td><td>{escape(c.name)}</td>'
        f"<td>{escape(c.definition)}</td></tr>" for c in cats)
    return (
        '<section id="legend">\n<h2>Legend</h2>\n<table>\n<thead><tr><th>Colour</th>'
        f"<th>Category</th><th>Definition</th></tr></thead>\n<tbody>{rows}</tbody>\n</table>\n"
        '<p class="note">Every error is drawn in its category\'s colour; hover it for its '
        "category. Where an item shows a diff, the reference (ref) is above the prediction "
        '(hyp), <span class="chip gap">·</span> marks the empty side of an insertion or '
        "deletion, ␣ a space and ⏎ a line break inside an edit.</p>\n"
        "</section>\n")


def items_section(every_item: bool, categories: Iterable[Category]) -> str:
    """The items section: the toolbar the script drives and the list it fills."""
    which = "Every item" if every_item else "Every reviewed item"
    more = "" if every_item else " (<code>reviewer report --all</code>: every item)"
    verdicts = "".join(f'<option value="{v}">{escape(VERDICT_NAMES[v])}</option>'
                       for v in VERDICTS)
    options = "".join(f'<option value="{k}">{escape(c.name)}</option>'
                      for k, c in enumerate(categories))
    return (
        f'<section id="items">\n<h2>Items</h2>\n<p class="note">{which}{more} as '
        "<code>reviewer show</code> prints it, against the current reference, a page at a "
        "time.</p>\n"
        '<div class="toolbar" role="toolbar" aria-label="Items">'
        '<input id="filter-id" type="search" placeholder="Filter by id" aria-label="Filter by id">'
        '<select id="filter-verdict" aria-label="Verdict"><option value="">Any verdict</option>'
        f'<option value="none">No verdict</option>{verdicts}</select>'
        '<select id="filter-category" aria-label="Category"><option value="">Any category'
        f"</option>{options}</select>"
        '<span class="grow"></span><button id="page-prev" type="button">◀ Prev</button>'
        '<span>Page <input id="page-number" type="number" min="1" value="1" '
        'aria-label="Page number"> of <span id="page-count">1</span></span>'
        '<button id="page-next" type="button">Next ▶</button>'
        '<span id="page-info" class="muted"></span></div>\n'
        '<div id="item-list"><noscript><p class="empty">The item diffs need JavaScript '
        "(it runs inside this file; nothing is fetched).</p></noscript></div>\n</section>\n")


SCRIPT = r"""
(function () {
  "use strict";
  function $(id) { return document.getElementById(id); }
  var cfg = JSON.parse($("report-config").textContent);
  var items = JSON.parse($("report-items").textContent);
  var cats = cfg.categories, pageSize = cfg.pageSize;
  var shown = items, page = 0, timer = null;
  var list = $("item-list"), info = $("page-info"), pageBox = $("page-number");
  var pageCount = $("page-count"), query = $("filter-id"), verdictSel = $("filter-verdict");
  var catSel = $("filter-category"), prev = $("page-prev"), next = $("page-next");

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }
  function visible(text) { return text.replace(/\n/g, "\u23ce").replace(/\t/g, "\u2192"); }
  function editText(text) {
    if (!text) { return ""; }
    if (/^\s+$/.test(text)) { return visible(text.replace(/ /g, "\u2423")); }
    return visible(text);
  }
  function side(cls, text, title) {
    var shownText = editText(text);
    var span = el("span", cls + (shownText ? "" : " gap"), shownText || "\u00b7");
    span.title = title;
    return span;
  }
  function column(ref, hyp, cls) {
    var col = el("span", cls);
    col.appendChild(el("span", "r", ref));
    col.appendChild(el("span", "h", hyp));
    return col;
  }
  function category(k) {
    return (k === null || k === undefined) ? null : (cats[k] || {id: "other", name: "Other"});
  }
  function diff(segments) {
    var box = el("div", "diff");
    box.appendChild(column("ref", "hyp", "col gutter"));
    segments.forEach(function (seg) {
      if (typeof seg === "string" || seg[2] === null) {
        var ref = typeof seg === "string" ? seg : seg[0];
        var hyp = typeof seg === "string" ? seg : seg[1];
        if (ref !== hyp) {
          box.appendChild(column(visible(ref), visible(hyp), "col"));
          return;
        }
        (ref.match(/\S+\s*|\s+/g) || []).forEach(function (token) {
          box.appendChild(column(visible(token), visible(token), "col"));
          if (token.indexOf("\n") >= 0) { box.appendChild(el("span", "br")); }
        });
        return;
      }
      var cat = category(seg[2]);
      var title = cat.name + ": '" + seg[0] + "' \u2192 '" + seg[1] + "'";
      var col = el("span", "col e");
      col.appendChild(side("r c-" + cat.id, seg[0], title));
      col.appendChild(side("h c-" + cat.id, seg[1], title));
      box.appendChild(col);
    });
    return box;
  }
  // A line of spans: plain text, or [text, category index or null, tag] drawn as a chip.
  function spans(parts, cls) {
    var line = el("span", cls || "spans");
    parts.forEach(function (part) {
      if (typeof part === "string") {
        line.appendChild(document.createTextNode(part));
        return;
      }
      var cat = category(part[1]);
      var chip = el("span", "span-mark" + (cat ? " c-" + cat.id : ""), part[0]);
      if (cat) { chip.title = cat.name + (part[2] ? " (" + part[2] + ")" : ""); }
      line.appendChild(chip);
      if (part[2]) { line.appendChild(el("span", "span-tag", part[2])); }
    });
    return line;
  }
  function field(name, parts) {
    var p = el("div", "field");
    p.appendChild(el("b", null, name));
    p.appendChild(spans(parts));
    return p;
  }
  function picture(item) {
    var fig = el("figure", "thumb");
    if (item.i && item.i[0].indexOf("data:image/") === 0) {
      var img = el("img"), w = item.i[1], h = item.i[2];
      // A tiny image (a digit of 8 or 64 px) is drawn larger, its pixels kept sharp.
      var zoom = Math.max(1, Math.round(128 / Math.max(w, h, 1)));
      img.src = item.i[0];
      img.width = w * zoom;
      img.height = h * zoom;
      if (zoom > 1) { img.className = "pixels"; }
      img.alt = "Image of item " + item.id;
      fig.appendChild(img);
    }
    var caption = el("figcaption", "muted", item.m);
    if (item.mi) { caption.appendChild(el("span", null, " \u2014 " + item.mi)); }
    fig.appendChild(caption);
    return fig;
  }
  function card(item) {
    var art = el("article", "item");
    var head = el("div", "item-head");
    head.appendChild(el("span", "item-id", item.id));
    head.appendChild(el("span", "badge v-" + (item.v || "none"),
                        item.v ? cfg.verdicts[item.v] : "Unreviewed"));
    head.appendChild(el("span", "muted", item.st));
    if (item.et) { head.appendChild(el("span", "muted", item.et)); }
    if (item.c) { head.appendChild(el("span", "muted", "against the corrected reference")); }
    art.appendChild(head);
    if (item.m) { art.appendChild(picture(item)); }
    item.f.forEach(function (f) { art.appendChild(field(f[0], f[1])); });
    item.s.forEach(function (sys, k) {
      var block = el("section", "system");
      var head = el("div", "sys-head");
      head.appendChild(el("strong", null, cfg.systems[k]));
      head.appendChild(spans(sys.h, "spans" + (sys.a ? "" : " muted")));
      block.appendChild(head);
      if (sys.d.length) { block.appendChild(diff(sys.d)); }
      sys.f.forEach(function (f) { block.appendChild(field(f[0], f[1])); });
      if (sys.c.length) {
        var counts = el("div", "cat-counts");
        sys.c.forEach(function (pair) {
          var cat = category(pair[0]);
          counts.appendChild(el("span", "chip c-" + cat.id, cat.name + " " + pair[1]));
        });
        block.appendChild(counts);
      }
      art.appendChild(block);
    });
    return art;
  }
  function go(target) {
    var total = Math.max(1, Math.ceil(shown.length / pageSize));
    page = Math.min(Math.max(0, target), total - 1);
    while (list.firstChild) { list.removeChild(list.firstChild); }
    var start = page * pageSize, frag = document.createDocumentFragment();
    shown.slice(start, start + pageSize).forEach(function (item) {
      frag.appendChild(card(item));
    });
    if (!shown.length) {
      frag.appendChild(el("p", "empty", items.length ? "No item matches the filter." :
        "No items in this report."));
    }
    list.appendChild(frag);
    pageBox.value = String(page + 1);
    pageBox.max = String(total);
    pageCount.textContent = String(total);
    prev.disabled = page === 0;
    next.disabled = page >= total - 1;
    info.textContent = shown.length ? "items " + (start + 1) + "\u2013" +
      Math.min(start + pageSize, shown.length) + " of " + shown.length +
      (shown.length < items.length ? " (filtered from " + items.length + ")" : "") : "";
    writeHash();
  }
  function applyFilter() {
    var q = query.value.trim().toLowerCase(), v = verdictSel.value, c = catSel.value;
    var k = c === "" ? -1 : Number(c);
    shown = items.filter(function (item) {
      if (q && item.id.toLowerCase().indexOf(q) < 0) { return false; }
      if (v === "none" ? item.v !== null : (v && item.v !== v)) { return false; }
      return k < 0 || item.k.indexOf(k) >= 0;
    });
  }
  function filter() {
    applyFilter();
    go(0);
  }
  function turn(delta) {
    go(page + delta);
    $("items").scrollIntoView();
  }
  // The page and the filter live in the address (#page=3&verdict=ok), so a link opens them.
  function readHash() {
    var state = Object.create(null);
    location.hash.slice(1).split("&").forEach(function (part) {
      var eq = part.indexOf("=");
      if (eq < 1) { return; }
      try {
        state[decodeURIComponent(part.slice(0, eq))] = decodeURIComponent(part.slice(eq + 1));
      } catch (e) { /* a malformed escape: ignore that part */ }
    });
    return state;
  }
  function writeHash() {
    var parts = [], cat = cats[Number(catSel.value)];
    if (query.value) { parts.push("id=" + encodeURIComponent(query.value)); }
    if (verdictSel.value) { parts.push("verdict=" + encodeURIComponent(verdictSel.value)); }
    if (catSel.value !== "" && cat) { parts.push("category=" + encodeURIComponent(cat.id)); }
    if (page) { parts.push("page=" + (page + 1)); }
    if (!parts.length && location.hash.indexOf("=") < 0) { return; }
    try {
      history.replaceState(null, "", parts.length ? "#" + parts.join("&") :
                         location.pathname + location.search);
    } catch (e) { /* some browsers refuse this for file:// pages; the report still works */ }
  }
  query.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(filter, 150);
  });
  verdictSel.addEventListener("change", filter);
  catSel.addEventListener("change", filter);
  prev.addEventListener("click", function () { turn(-1); });
  next.addEventListener("click", function () { turn(1); });
  pageBox.addEventListener("change", function () { go(Number(pageBox.value) - 1); });
  var start = readHash(), linked = location.hash.indexOf("=") >= 0;
  query.value = start.id || "";
  verdictSel.value = start.verdict || "";
  if (verdictSel.selectedIndex < 0) { verdictSel.value = ""; }
  catSel.value = "";
  cats.forEach(function (cat, k) { if (cat.id === start.category) { catSel.value = String(k); } });
  applyFilter();
  go((parseInt(start.page, 10) || 1) - 1);
  if (linked) { $("items").scrollIntoView(); }
}());
"""
