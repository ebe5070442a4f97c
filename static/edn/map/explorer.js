/* The map explorer: draws a round's network with sigma.js and lets people
 * filter it, search it and open an organization's panel.
 *
 * Mount: an element with data-edn-map="<id of a json_script>" whose options
 * give payloadUrl, controls, focus, rounds and strings (see
 * network/map_views.py), optionally egoDistance (1 or 2: how far the
 * focused organization's partners are highlighted), and highlight: a list of
 * {ties: [[node id, node id], ...], colour, label} groups of ties drawn in
 * their colour over the others (the round comparison marks new ties so). Every name reaches the page as JSON and is written
 * with textContent, never as HTML.
 */
(function () {
  "use strict";

  const EdnMap = (window.EdnMap = window.EdnMap || {});
  const FADED_NODE = "#e6e9ed";
  const FADED_TIE = "rgba(205, 211, 218, 0.25)";
  const LAYER_BITS = { all: 0, coordination: 1, collaboration: 2, referrals: 3, data_sharing: 4 };

  function format(text, values) {
    return text.replace(/%\((\w+)\)s/g, (match, name) =>
      name in values ? String(values[name]) : match,
    );
  }
  EdnMap.format = format;

  function rgba(hex, alpha) {
    const value = parseInt(hex.slice(1), 16);
    return `rgba(${(value >> 16) & 255}, ${(value >> 8) & 255}, ${value & 255}, ${alpha})`;
  }

  function columns(names) {
    const index = {};
    names.forEach((name, i) => (index[name] = i));
    return index;
  }

  function controlsOf(root) {
    const one = (name) => root.querySelector(`[data-map-${name}]`);
    return {
      form: one("controls"),
      search: one("search"),
      names: one("names"),
      searchMessage: one("search-message"),
      round: one("round"),
      colour: one("colour"),
      size: one("size"),
      layer: one("layer"),
      confirmed: one("confirmed"),
      sector: one("sector"),
      service: one("service"),
      community: one("community"),
      counts: one("counts"),
      canvas: one("canvas"),
      notice: one("notice"),
      legend: one("legend"),
      stage: one("stage"),
    };
  }

  function addOptions(select, labels) {
    if (!select) return;
    labels.forEach((label, value) => {
      const option = document.createElement("option");
      option.value = String(value);
      option.textContent = label;
      select.appendChild(option);
    });
  }

  class Explorer {
    constructor(root, options) {
      this.root = root;
      this.options = options;
      this.strings = options.strings || {};
      this.numbers = new Intl.NumberFormat(options.language || undefined);
      this.ui = controlsOf(root);
      this.state = {
        colour: "sector",
        size: "degree",
        layer: "all",
        confirmedOnly: false,
        sector: "",
        service: "",
        community: "",
        selected: null,
        egoDistance: options.egoDistance === 2 ? 2 : 1,
      };
      this.firstRenderMs = null;
      this.counts = { nodes: 0, ties: 0, totalNodes: 0, totalTies: 0 };
      this.listeners = [];
    }

    async load() {
      const started = performance.now();
      let response;
      try {
        response = await fetch(this.options.payloadUrl, {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        this.payload = await response.json();
      } catch (error) {
        this.ui.counts.textContent = this.strings.load_failed;
        throw error;
      }
      this.loadMs = performance.now() - started;
      const stages = [
        ["prepare", () => this.prepare()],
        ["controls", () => this.fillControls()],
        ["bind", () => this.bindControls()],
        ["filters", () => this.applyFilters()],
        ["draw", () => this.draw()],
      ];
      this.timings = { fetch: Math.round(this.loadMs) };
      for (const [stage, run] of stages) {
        const begun = performance.now();
        run();
        this.timings[stage] = Math.round(performance.now() - begun);
      }
      if (this.options.focus != null || this.payload.focus != null) {
        const focus = this.options.focus != null ? this.options.focus : this.payload.focus;
        const index = this.nodes.findIndex((row) => String(row[this.col.id]) === String(focus));
        // moveToFocus: false keeps the whole map in frame (an ego map).
        if (index >= 0) this.select(index, { move: this.options.moveToFocus !== false });
      }
      return this;
    }

    prepare() {
      const p = this.payload;
      this.col = columns(p.node_columns);
      this.tcol = columns(p.tie_columns);
      this.nodes = p.nodes;
      this.ties = p.ties;
      this.n = p.nodes.length;
      this.m = p.ties.length;
      this.adjacency = Array.from({ length: this.n }, () => []);
      const s = this.tcol.source;
      const t = this.tcol.target;
      this.ties.forEach((tie, j) => {
        this.adjacency[tie[s]].push(j);
        this.adjacency[tie[t]].push(j);
      });
      this.nodeVisible = new Uint8Array(this.n);
      this.tieVisible = new Uint8Array(this.m);
      this.inEgo = null;
      this.counts.totalNodes = this.n;
      this.counts.totalTies = this.m;
      this.highlight = this.matchHighlight(this.options.highlight || []);
    }

    /* Find the ties each highlight group names by node id; a tie takes the
     * first group naming it. Pairs not on this map are left out. */
    matchHighlight(groups) {
      if (!groups.length) return null;
      const index = new Map();
      this.nodes.forEach((row, i) => index.set(String(row[this.col.id]), i));
      const pair = (a, b) => (a < b ? `${a} ${b}` : `${b} ${a}`);
      const byPair = new Map();
      this.ties.forEach((tie, j) => byPair.set(pair(tie[this.tcol.source], tie[this.tcol.target]), j));
      const group = new Int8Array(this.m).fill(-1);
      const counts = groups.map(() => 0);
      groups.forEach((entry, k) => {
        for (const [x, y] of entry.ties || []) {
          const a = index.get(String(x));
          const b = index.get(String(y));
          const j = a === undefined || b === undefined ? undefined : byPair.get(pair(a, b));
          if (j === undefined || group[j] >= 0) continue;
          group[j] = k;
          counts[k] += 1;
        }
      });
      return { groups, group, counts };
    }

    label(i) {
      return this.nodes[i][this.col.label];
    }

    other(j, i) {
      const tie = this.ties[j];
      return tie[this.tcol.source] === i ? tie[this.tcol.target] : tie[this.tcol.source];
    }

    fillControls() {
      const p = this.payload;
      addOptions(this.ui.sector, p.sectors);
      addOptions(this.ui.service, p.services);
      addOptions(
        this.ui.community,
        p.legend.community.map((entry) => entry.label),
      );
      if (this.ui.names) {
        const names = this.nodes.map((row) => row[this.col.label]).sort((a, b) => a.localeCompare(b));
        const fragment = document.createDocumentFragment();
        for (const name of names) {
          const option = document.createElement("option");
          option.value = name;
          fragment.appendChild(option);
        }
        this.ui.names.appendChild(fragment);
      }
      if (this.ui.round) {
        for (const round of this.options.rounds || []) {
          const option = document.createElement("option");
          option.value = round.url;
          option.textContent = round.name;
          option.selected = Boolean(round.current);
          this.ui.round.appendChild(option);
        }
        if (!this.ui.round.options.length) this.ui.round.closest(".edn-map-control").hidden = true;
      }
    }

    bindControls() {
      const on = (element, event, handler) => element && element.addEventListener(event, handler);
      const update = (key, read) => (event) => {
        this.state[key] = read(event.target);
        this.applyFilters();
      };
      on(this.ui.colour, "change", update("colour", (el) => el.value));
      on(this.ui.size, "change", update("size", (el) => el.value));
      on(this.ui.layer, "change", update("layer", (el) => el.value));
      on(this.ui.confirmed, "change", update("confirmedOnly", (el) => el.checked));
      on(this.ui.sector, "change", update("sector", (el) => el.value));
      on(this.ui.service, "change", update("service", (el) => el.value));
      on(this.ui.community, "change", update("community", (el) => el.value));
      on(this.ui.round, "change", (event) => {
        const url = event.target.value;
        if (url.startsWith("/")) window.location.assign(url);
      });
      on(this.ui.form, "submit", (event) => {
        event.preventDefault();
        this.find(this.ui.search ? this.ui.search.value : "");
      });
      on(this.ui.search, "change", () => this.find(this.ui.search.value, { quiet: true }));
      this.root.querySelectorAll("[data-map-zoom]").forEach((button) =>
        button.addEventListener("click", () => this.zoom(button.dataset.mapZoom)),
      );
      this.root.querySelectorAll("[data-map-ego]").forEach((radio) =>
        radio.addEventListener("change", () => {
          this.state.egoDistance = Number(radio.value);
          this.applyFilters();
        }),
      );
      EdnMap.setUp(this);
      this.root.querySelectorAll("[data-map-export]").forEach((button) =>
        button.addEventListener("click", () => EdnMap.exportView(this, button.dataset.mapExport)),
      );
    }

    find(query, { quiet = false } = {}) {
      const wanted = query.trim().toLocaleLowerCase();
      if (this.ui.searchMessage) this.ui.searchMessage.textContent = "";
      if (!wanted) return;
      let index = this.nodes.findIndex((row) => row[this.col.label].toLocaleLowerCase() === wanted);
      if (index < 0 && !quiet) {
        index = this.nodes.findIndex((row) => row[this.col.label].toLocaleLowerCase().includes(wanted));
      }
      if (index >= 0) {
        this.select(index, { move: true, focusPanel: !quiet });
      } else if (!quiet && this.ui.searchMessage) {
        this.ui.searchMessage.textContent = format(this.strings.no_match, { query: query.trim() });
      }
    }

    /* Work out what is visible, coloured and sized how; then redraw. */
    applyFilters() {
      const c = this.col;
      const tc = this.tcol;
      const st = this.state;
      const sector = st.sector === "" ? -1 : Number(st.sector);
      const service = st.service === "" ? -1 : Number(st.service);
      const community = st.community === "" ? -1 : Number(st.community);
      let nodes = 0;
      for (let i = 0; i < this.n; i++) {
        const row = this.nodes[i];
        const keep =
          (sector < 0 || row[c.sector] === sector) &&
          (service < 0 || row[c.services].includes(service)) &&
          (community < 0 || row[c.community] === community);
        this.nodeVisible[i] = keep ? 1 : 0;
        nodes += keep ? 1 : 0;
      }
      const bit = 1 << LAYER_BITS[st.layer];
      let ties = 0;
      for (let j = 0; j < this.m; j++) {
        const tie = this.ties[j];
        const keep =
          this.nodeVisible[tie[tc.source]] &&
          this.nodeVisible[tie[tc.target]] &&
          tie[tc.layers] & bit &&
          (!st.confirmedOnly || tie[tc.confirmed]);
        this.tieVisible[j] = keep ? 1 : 0;
        ties += keep ? 1 : 0;
      }
      this.counts.nodes = nodes;
      this.counts.ties = ties;
      this.computeEgo();
      this.computeStyle();
      this.showCounts();
      EdnMap.renderLegend(this);
      if (this.renderer) this.renderer.refresh();
      if (st.selected != null) EdnMap.renderPanel(this, st.selected);
      this.listeners.forEach((listener) => listener(this));
    }

    computeEgo() {
      const start = this.state.selected;
      if (start == null || !this.nodeVisible[start]) {
        this.inEgo = null;
        return;
      }
      const distance = new Int8Array(this.n).fill(-1);
      distance[start] = 0;
      let frontier = [start];
      for (let step = 1; step <= this.state.egoDistance; step++) {
        const next = [];
        for (const i of frontier) {
          for (const j of this.adjacency[i]) {
            if (!this.tieVisible[j]) continue;
            const k = this.other(j, i);
            if (distance[k] < 0) {
              distance[k] = step;
              next.push(k);
            }
          }
        }
        frontier = next;
      }
      this.inEgo = distance;
    }

    computeStyle() {
      const c = this.col;
      const legend = this.payload.legend[this.state.colour];
      const code = c[this.state.colour];
      const values = this.nodes.map((row) => Math.max(0, row[c[this.state.size]] || 0));
      let largest = 1e-12;
      for (const value of values) if (value > largest) largest = value;
      const base = this.n > 2000 ? 1.6 : this.n > 500 ? 2.2 : 2.8;
      const span = this.n > 2000 ? 9 : 11;
      this.nodeColour = new Array(this.n);
      this.nodeSize = new Float32Array(this.n);
      for (let i = 0; i < this.n; i++) {
        this.nodeColour[i] = (legend[this.nodes[i][code]] || {}).colour || "#9aa3ad";
        this.nodeSize[i] = base + span * Math.sqrt(values[i] / largest);
      }
      // Label the largest nodes; zooming in brings more labels, and sigma's
      // label grid keeps them from covering one another.
      const sizes = [];
      for (let i = 0; i < this.n; i++) if (this.nodeVisible[i]) sizes.push(this.nodeSize[i]);
      sizes.sort((a, b) => b - a);
      const labelled = this.n > 2000 ? 20 : 12;
      this.labelThreshold = sizes.length ? sizes[Math.min(sizes.length, labelled) - 1] - 0.01 : 0;
      if (this.renderer) this.renderer.setSetting("labelRenderedSizeThreshold", this.labelThreshold);

      const levels = this.payload.legend.levels;
      const tc = this.tcol;
      this.tieColour = new Array(this.m);
      this.tieWidth = new Float32Array(this.m);
      for (let j = 0; j < this.m; j++) {
        const tie = this.ties[j];
        const level = levels[tie[tc.level]] || levels[0];
        const alpha = tie[tc.confirmed] ? 0.9 : 0.45;
        this.tieColour[j] = rgba(level.colour, this.m > 20000 ? alpha * 0.6 : alpha);
        this.tieWidth[j] = level.width;
        if (this.highlight) {
          const k = this.highlight.group[j];
          // Highlighted ties in their colour, a little wider; the rest
          // stay for context, fainter.
          if (k >= 0) {
            this.tieColour[j] = this.highlight.groups[k].colour;
            this.tieWidth[j] = level.width + 1.5;
          } else {
            this.tieColour[j] = rgba(level.colour, alpha * 0.4);
          }
        }
      }
    }

    /* Return how node i looks now: colour, size, label, hidden. */
    nodeLook(i, data) {
      const hidden = !this.nodeVisible[i];
      const faded = this.inEgo !== null && this.inEgo[i] < 0;
      const selected = this.state.selected === i;
      return {
        x: data ? data.x : undefined,
        y: data ? data.y : undefined,
        hidden,
        color: faded ? FADED_NODE : this.nodeColour[i],
        size: selected ? this.nodeSize[i] + 3 : faded ? this.nodeSize[i] * 0.7 : this.nodeSize[i],
        forceLabel: !faded && (selected || this.directPartner(i)),
        label: faded ? "" : this.label(i),
        zIndex: faded ? 0 : 1,
        highlighted: selected,
      };
    }

    directPartner(i) {
      return this.inEgo !== null && this.state.egoDistance === 1 && this.inEgo[i] === 1 && this.n < 2000;
    }

    tieLook(j) {
      const tie = this.ties[j];
      const faded =
        this.inEgo !== null && (this.inEgo[tie[this.tcol.source]] < 0 || this.inEgo[tie[this.tcol.target]] < 0);
      return {
        hidden: !this.tieVisible[j],
        color: faded ? FADED_TIE : this.tieColour[j],
        size: this.tieWidth[j],
        zIndex: faded ? 0 : this.highlight && this.highlight.group[j] >= 0 ? 2 : 1,
      };
    }

    showCounts() {
      const fmt = (value) => this.numbers.format(value);
      const text = format(this.strings.showing, {
        ties: fmt(this.counts.ties),
        total_ties: fmt(this.counts.totalTies),
        nodes: fmt(this.counts.nodes),
        total_nodes: fmt(this.counts.totalNodes),
      });
      this.ui.counts.textContent = text;
      this.ui.counts.dataset.visibleTies = String(this.counts.ties);
      this.ui.counts.dataset.visibleNodes = String(this.counts.nodes);
      if (this.ui.notice) {
        this.ui.notice.hidden = this.m > 0;
        this.ui.notice.textContent = this.m > 0 ? "" : this.strings.no_ties;
      }
    }

    draw() {
      const graph = new window.graphology.MultiUndirectedGraph();
      const c = this.col;
      for (let i = 0; i < this.n; i++) {
        const row = this.nodes[i];
        graph.addNode(String(i), { x: row[c.x], y: row[c.y], size: 3, label: row[c.label] });
      }
      const tc = this.tcol;
      for (let j = 0; j < this.m; j++) {
        const tie = this.ties[j];
        graph.addEdgeWithKey(String(j), String(tie[tc.source]), String(tie[tc.target]));
      }
      this.graph = graph;
      try {
        this.renderer = new window.Sigma(graph, this.ui.canvas, {
          nodeReducer: (key, data) => this.nodeLook(Number(key), data),
          edgeReducer: (key) => this.tieLook(Number(key)),
          // Sorting by depth lifts the highlighted partners; too slow for big maps.
          zIndex: this.m <= 10000,
          labelFont: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
          labelSize: 12,
          labelWeight: "600",
          labelColor: { color: "#1d2a3a" },
          labelDensity: 0.35,
          labelGridCellSize: 240,
          labelRenderedSizeThreshold: this.labelThreshold,
          defaultDrawNodeLabel: EdnMap.drawLabel,
          minEdgeThickness: 0.8,
          stagePadding: 24,
          hideEdgesOnMove: this.m > 30000,
          // Thin one-pixel lines cost far less than quads when ties are many.
          edgeProgramClasses: this.m > 10000 ? { line: window.Sigma.rendering.EdgeLineProgram } : {},
        });
      } catch (error) {
        console.error("map: the renderer could not start:", error);
        this.ui.notice.hidden = false;
        this.ui.notice.textContent = this.strings.no_webgl;
        EdnMap.openTable(this);
        return;
      }
      this.frameMainNetwork();
      // Sigma draws once in its constructor; the next frame puts it on screen.
      requestAnimationFrame(() => {
        this.firstRenderMs = performance.now();
        this.root.dataset.mapReady = "true";
      });
      this.renderer.on("clickNode", ({ node }) => this.select(Number(node), { focusPanel: false }));
      this.renderer.on("clickStage", () => this.select(null));
      this.renderer.on("enterNode", () => (this.ui.canvas.style.cursor = "pointer"));
      this.renderer.on("leaveNode", () => (this.ui.canvas.style.cursor = ""));
    }

    /* Open on the largest fragment: a few isolates placed far out would
     * otherwise shrink the network everyone came to see. */
    frameMainNetwork() {
      const code = this.col.component;
      const main = this.payload.legend.component[0];
      if (!main || main.count < 2 || main.count === this.n) return;
      // The middle 90% on each axis: a few far write-ins stay off the frame.
      const xs = [];
      const ys = [];
      for (let i = 0; i < this.n; i++) {
        if (this.nodes[i][code] !== 0) continue;
        const shown = this.renderer.getNodeDisplayData(String(i));
        xs.push(shown.x);
        ys.push(shown.y);
      }
      const quantile = (values, q) => values.sort((a, b) => a - b)[Math.floor(q * (values.length - 1))];
      const [left, right] = [quantile(xs, 0.05), quantile(xs, 0.95)];
      const [top, bottom] = [quantile(ys, 0.05), quantile(ys, 0.95)];
      const ratio = Math.min(1, Math.max(right - left, bottom - top) * 1.35);
      this.renderer.getCamera().setState({ x: (left + right) / 2, y: (top + bottom) / 2, ratio });
    }

    select(index, { move = false, focusPanel = false } = {}) {
      this.state.selected = index;
      this.applyFilters();
      if (index == null) {
        EdnMap.closePanel(this);
        return;
      }
      EdnMap.renderPanel(this, index, { focus: focusPanel });
      if (move && this.renderer) {
        const shown = this.renderer.getNodeDisplayData(String(index));
        if (shown) {
          this.renderer.getCamera().animate({ x: shown.x, y: shown.y, ratio: 0.45 }, { duration: 450 });
        }
      }
    }

    zoom(how) {
      if (!this.renderer) return;
      const camera = this.renderer.getCamera();
      if (how === "in") camera.animatedZoom({ duration: 250 });
      else if (how === "out") camera.animatedUnzoom({ duration: 250 });
      else camera.animatedReset({ duration: 300 });
    }

    onChange(listener) {
      this.listeners.push(listener);
    }
  }

  /* Draw a label with a white halo so it stays legible over ties. */
  EdnMap.drawLabel = function (context, data, settings) {
    if (!data.label) return;
    const size = settings.labelSize;
    context.font = `${settings.labelWeight} ${size}px ${settings.labelFont}`;
    const x = data.x + data.size + 4;
    const y = data.y + size / 3;
    context.lineWidth = 3.5;
    context.lineJoin = "round";
    context.strokeStyle = "rgba(255, 255, 255, 0.92)";
    context.strokeText(data.label, x, y);
    context.fillStyle = settings.labelColor.color;
    context.fillText(data.label, x, y);
  };

  EdnMap.Explorer = Explorer;

  /* Mount the explorer on `root`; return a promise of it. */
  EdnMap.mount = function (root, options) {
    const explorer = new Explorer(root, options);
    window.ednMap = explorer;
    return explorer.load();
  };

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-edn-map]").forEach((root) => {
      const source = document.getElementById(root.dataset.ednMap);
      if (!source) return;
      EdnMap.mount(root, JSON.parse(source.textContent)).catch((error) => {
        console.error("map:", error);
      });
    });
  });
})();
