/* The explorer's legend, organization panel and table view.
 *
 * Everything here builds elements and writes text with textContent: names
 * come from the payload and must never be parsed as HTML.
 */
(function () {
  "use strict";

  const EdnMap = (window.EdnMap = window.EdnMap || {});
  const TABLE_PAGE = 100;

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  }

  function swatch(colour) {
    const mark = element("span", "edn-map-swatch");
    mark.style.backgroundColor = colour;
    mark.setAttribute("aria-hidden", "true");
    return mark;
  }

  /* The chosen option's text, or the name of the fixed choice when the page
     has no control for it (the ego map sizes by ties without a menu). */
  function selectedText(select, value, strings) {
    return select ? select.options[select.selectedIndex].textContent : strings[value] || value;
  }

  /* Return the legend of the current view: [{label, colour, count}]. */
  EdnMap.legendEntries = function (explorer) {
    const key = explorer.state.colour;
    const legend = explorer.payload.legend[key];
    const code = explorer.col[key];
    const counts = new Array(legend.length).fill(0);
    for (let i = 0; i < explorer.n; i++) {
      if (explorer.nodeVisible[i]) counts[explorer.nodes[i][code]] += 1;
    }
    return legend
      .map((entry, value) => ({ ...entry, count: counts[value] }))
      .filter((entry) => entry.count > 0);
  };

  EdnMap.legendTitles = function (explorer) {
    const s = explorer.strings;
    return {
      colour: `${s.legend_colour}: ${selectedText(explorer.ui.colour, explorer.state.colour, s)}`,
      size: EdnMap.format(s.legend_size, {
        measure: selectedText(explorer.ui.size, explorer.state.size, s),
      }),
      ties: s.legend_ties,
    };
  };

  EdnMap.renderLegend = function (explorer) {
    const box = explorer.ui.legend;
    if (!box) return;
    const titles = EdnMap.legendTitles(explorer);
    const entries = EdnMap.legendEntries(explorer);
    const shown = entries.slice(0, 10);
    box.replaceChildren();
    const colours = element("div", "edn-map-legend-row");
    colours.appendChild(element("p", "edn-map-legend-title", titles.colour));
    const list = element("ul", "list-unstyled");
    for (const entry of shown) {
      const item = element("li");
      item.append(swatch(entry.colour), document.createTextNode(entry.label));
      item.appendChild(element("span", "edn-map-legend-count", explorer.numbers.format(entry.count)));
      list.appendChild(item);
    }
    if (entries.length > shown.length) {
      const more = EdnMap.format(explorer.strings.more, { count: entries.length - shown.length });
      list.appendChild(element("li", "edn-map-legend-note", more));
    }
    colours.appendChild(list);
    box.appendChild(colours);
    const ties = element("div", "edn-map-legend-row");
    ties.appendChild(element("p", "edn-map-legend-note", titles.size));
    const levels = element("ul", "list-unstyled");
    for (const level of explorer.payload.legend.levels) {
      const item = element("li");
      const line = element("span", "edn-map-line");
      line.style.borderTopWidth = `${Math.max(1, level.width * 1.3)}px`;
      line.style.borderTopColor = level.colour;
      line.setAttribute("aria-hidden", "true");
      item.append(line, document.createTextNode(level.label));
      levels.appendChild(item);
    }
    ties.append(levels, element("p", "edn-map-legend-note", titles.ties));
    box.appendChild(ties);
    const highlight = explorer.highlight;
    if (highlight) {
      const row = element("div", "edn-map-legend-row");
      const marked = element("ul", "list-unstyled");
      highlight.groups.forEach((group, k) => {
        const item = element("li");
        const line = element("span", "edn-map-line");
        line.style.borderTopWidth = "3px";
        line.style.borderTopColor = group.colour;
        line.setAttribute("aria-hidden", "true");
        item.append(line, document.createTextNode(group.label));
        item.appendChild(element("span", "edn-map-legend-count", explorer.numbers.format(highlight.counts[k])));
        marked.appendChild(item);
      });
      row.appendChild(marked);
      box.appendChild(row);
    }
  };

  function describe(explorer, i) {
    const row = explorer.nodes[i];
    const s = explorer.strings;
    if (!row[explorer.col.on_roster]) return s.write_in;
    return row[explorer.col.responded] ? s.respondent : s.not_respondent;
  }

  function measure(value, digits) {
    if (value == null) return "—";
    return Number(value).toLocaleString(undefined, { maximumSignificantDigits: digits });
  }

  function facts(explorer, i) {
    const c = explorer.col;
    const row = explorer.nodes[i];
    const p = explorer.payload;
    const s = explorer.strings;
    const services = row[c.services].map((k) => p.services[k]);
    return [
      [s.sector, p.sectors[row[c.sector]] || s.none],
      [s.services, services.length ? services.join(", ") : s.none],
      [s.position, p.legend.position[row[c.position]].label],
      [s.community, p.legend.community[row[c.community]].label],
      [s.fragment, p.legend.component[row[c.component]].label],
      [s.degree, explorer.numbers.format(row[c.degree])],
      [s.betweenness, measure(row[c.betweenness], 3)],
      [s.pagerank, measure(row[c.pagerank], 3)],
      [s.closeness, measure(row[c.closeness], 3)],
      [s.constraint, measure(row[c.constraint], 3)],
    ];
  }

  /* Return the visible ties of node i as [{partner, text}], by partner name. */
  EdnMap.partnersOf = function (explorer, i) {
    const tc = explorer.tcol;
    const p = explorer.payload;
    const s = explorer.strings;
    const partners = [];
    for (const j of explorer.adjacency[i]) {
      if (!explorer.tieVisible[j]) continue;
      const tie = explorer.ties[j];
      const k = explorer.other(j, i);
      const parts = [p.levels[tie[tc.level]], tie[tc.confirmed] ? s.confirmed : s.one_sided];
      const outward = tie[tc.source] === i ? 1 : 2;
      if (tie[tc.referrals] & outward) parts.push(`${s.refers_to} →`);
      if (tie[tc.referrals] & (3 - outward)) parts.push(`← ${s.refers_to}`);
      if (tie[tc.data_sharing]) parts.push(p.data_sharing[tie[tc.data_sharing]]);
      partners.push({ partner: k, name: explorer.label(k), text: parts.join(" · ") });
    }
    return partners.sort((a, b) => a.name.localeCompare(b.name));
  };

  EdnMap.renderPanel = function (explorer, i, { focus = false } = {}) {
    const panel = explorer.root.querySelector("[data-map-panel]");
    if (!panel) return;
    const one = (name) => panel.querySelector(`[data-map-panel-${name}]`);
    one("title").textContent = explorer.label(i);
    one("status").textContent = describe(explorer, i);
    const list = one("facts");
    list.replaceChildren();
    for (const [term, value] of facts(explorer, i)) {
      const row = element("div", "edn-map-fact");
      row.append(element("dt", null, term), element("dd", null, value));
      list.appendChild(row);
    }
    const partners = EdnMap.partnersOf(explorer, i);
    one("partners-title").textContent = `${explorer.strings.partners} (${partners.length})`;
    const items = one("partners");
    items.replaceChildren();
    if (!partners.length) items.appendChild(element("li", "text-body-secondary", explorer.strings.no_partners));
    for (const partner of partners) {
      const item = element("li");
      const button = element("button", "btn btn-link p-0 text-start", partner.name);
      button.type = "button";
      button.addEventListener("click", () => explorer.select(partner.partner, { move: true, focusPanel: true }));
      item.append(button, element("span", "d-block small text-body-secondary", partner.text));
      items.appendChild(item);
    }
    panel.hidden = false;
    explorer.root.classList.add("edn-map-has-panel");
    if (focus) one("title").focus();
  };

  EdnMap.closePanel = function (explorer) {
    const panel = explorer.root.querySelector("[data-map-panel]");
    if (panel) panel.hidden = true;
    explorer.root.classList.remove("edn-map-has-panel");
  };

  function tableRows(explorer, from) {
    const c = explorer.col;
    const p = explorer.payload;
    const body = explorer.root.querySelector("[data-map-table-body]");
    const order = explorer.tableOrder;
    const end = Math.min(order.length, from + TABLE_PAGE);
    const fragment = document.createDocumentFragment();
    for (let r = from; r < end; r++) {
      const i = order[r];
      const row = explorer.nodes[i];
      const partners = EdnMap.partnersOf(explorer, i);
      const tr = element("tr");
      const name = element("th");
      name.scope = "row";
      const button = element("button", "btn btn-link p-0 text-start fw-semibold", explorer.label(i));
      button.type = "button";
      button.title = explorer.strings.select;
      button.addEventListener("click", () => {
        explorer.select(i, { move: true, focusPanel: true });
        explorer.ui.stage.scrollIntoView({ behavior: "smooth", block: "center" });
      });
      name.appendChild(button);
      tr.append(
        name,
        element("td", null, p.sectors[row[c.sector]] || explorer.strings.none),
        element("td", null, p.legend.position[row[c.position]].label),
        element("td", "text-end", explorer.numbers.format(partners.length)),
        element("td", "small", partners.map((x) => `${x.name} (${x.text})`).join("; ") || "—"),
      );
      fragment.appendChild(tr);
    }
    body.appendChild(fragment);
    explorer.tableShown = end;
    const more = explorer.root.querySelector("[data-map-table-more]");
    const left = order.length - end;
    more.hidden = left <= 0;
    more.textContent = EdnMap.format(explorer.strings.show_more, {
      count: explorer.numbers.format(Math.min(left, TABLE_PAGE)),
    });
  }

  function renderTable(explorer) {
    const section = explorer.root.querySelector("[data-map-table]");
    if (!section || section.hidden) return;
    explorer.tableOrder = [];
    for (let i = 0; i < explorer.n; i++) if (explorer.nodeVisible[i]) explorer.tableOrder.push(i);
    explorer.tableOrder.sort((a, b) => explorer.label(a).localeCompare(explorer.label(b)));
    section.querySelector("[data-map-table-caption]").textContent = explorer.strings.table_caption;
    explorer.root.querySelector("[data-map-table-body]").replaceChildren();
    tableRows(explorer, 0);
  }

  EdnMap.openTable = function (explorer) {
    const section = explorer.root.querySelector("[data-map-table]");
    const toggle = explorer.root.querySelector("[data-map-table-toggle]");
    if (!section) return;
    section.hidden = false;
    if (toggle) toggle.setAttribute("aria-expanded", "true");
    renderTable(explorer);
  };

  function setUpTable(explorer) {
    const toggle = explorer.root.querySelector("[data-map-table-toggle]");
    const section = explorer.root.querySelector("[data-map-table]");
    if (!toggle || !section) return;
    toggle.addEventListener("click", () => {
      if (section.hidden) {
        EdnMap.openTable(explorer);
        section.scrollIntoView({ behavior: "smooth", block: "start" });
      } else {
        section.hidden = true;
        toggle.setAttribute("aria-expanded", "false");
      }
    });
    explorer.root
      .querySelector("[data-map-table-more]")
      .addEventListener("click", () => tableRows(explorer, explorer.tableShown));
    explorer.onChange(() => renderTable(explorer));
  }

  function setUpPanel(explorer) {
    const close = explorer.root.querySelector("[data-map-panel-close]");
    if (close) close.addEventListener("click", () => explorer.select(null));
    explorer.root.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && explorer.state.selected != null) explorer.select(null);
    });
  }

  EdnMap.setUp = function (explorer) {
    setUpTable(explorer);
    setUpPanel(explorer);
  };
})();
