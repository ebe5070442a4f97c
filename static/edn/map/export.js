/* Export the explorer's current view as an SVG drawing or a PNG image.
 *
 * The SVG is built from the graph's current look and the camera, with a
 * title and the legend; the PNG is that SVG drawn on a canvas at twice the
 * size. Names are written as SVG text nodes, never parsed as markup.
 */
(function () {
  "use strict";

  const EdnMap = (window.EdnMap = window.EdnMap || {});
  const SVG = "http://www.w3.org/2000/svg";
  const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";
  const INK = "#1d2a3a";
  const MUTED = "#4f5b69";
  const HEADER = 64;
  const ROW = 20;

  function make(tag, attributes, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, String(value));
    if (text != null) node.textContent = text;
    return node;
  }

  /* Split a CSS colour into an SVG 1.1 colour and opacity. */
  function paint(colour) {
    const match = /^rgba\((\d+),\s*(\d+),\s*(\d+),\s*([\d.]+)\)$/.exec(colour);
    if (!match) return [colour, 1];
    const hex = [match[1], match[2], match[3]].map((v) => Number(v).toString(16).padStart(2, "0"));
    return [`#${hex.join("")}`, Number(match[4])];
  }

  function wrap(text, width, size) {
    const perLine = Math.max(20, Math.floor(width / (size * 0.55)));
    const lines = [];
    let line = "";
    for (const word of text.split(/\s+/)) {
      if (line && (line + " " + word).length > perLine) {
        lines.push(line);
        line = word;
      } else {
        line = line ? `${line} ${word}` : word;
      }
    }
    if (line) lines.push(line);
    return lines;
  }

  function drawMap(explorer, group, width, height) {
    const renderer = explorer.renderer;
    const c = explorer.col;
    const tc = explorer.tcol;
    const point = (i) => renderer.graphToViewport({ x: explorer.nodes[i][c.x], y: explorer.nodes[i][c.y] });
    const points = explorer.nodes.map((row, i) => point(i));
    const outside = (a, b) =>
      (a.x < 0 && b.x < 0) || (a.y < 0 && b.y < 0) || (a.x > width && b.x > width) || (a.y > height && b.y > height);
    const ties = make("g", { "stroke-linecap": "round" });
    const order = [...explorer.ties.keys()].sort((a, b) => explorer.tieLook(a).zIndex - explorer.tieLook(b).zIndex);
    for (const j of order) {
      const look = explorer.tieLook(j);
      const a = points[explorer.ties[j][tc.source]];
      const b = points[explorer.ties[j][tc.target]];
      if (look.hidden || outside(a, b)) continue;
      const [stroke, opacity] = paint(look.color);
      ties.appendChild(
        make("line", {
          x1: a.x.toFixed(1),
          y1: a.y.toFixed(1),
          x2: b.x.toFixed(1),
          y2: b.y.toFixed(1),
          stroke,
          "stroke-opacity": opacity,
          "stroke-width": Math.max(0.8, renderer.scaleSize(look.size)).toFixed(2),
        }),
      );
    }
    group.appendChild(ties);

    const nodes = make("g", { stroke: "#ffffff", "stroke-width": 0.8 });
    const labels = make("g", {
      "font-size": 12,
      "font-weight": 600,
      fill: INK,
      stroke: "#ffffff",
      "stroke-width": 3.5,
      "stroke-linejoin": "round",
      "paint-order": "stroke",
    });
    const shownLabels = renderer.getNodeDisplayedLabels();
    const nodeOrder = [...explorer.nodes.keys()].sort(
      (a, b) => explorer.nodeLook(a).zIndex - explorer.nodeLook(b).zIndex,
    );
    for (const i of nodeOrder) {
      const look = explorer.nodeLook(i);
      const at = points[i];
      const radius = renderer.scaleSize(look.size);
      if (look.hidden || at.x < -radius || at.y < -radius || at.x > width + radius || at.y > height + radius) continue;
      const [fill, opacity] = paint(look.color);
      nodes.appendChild(
        make("circle", { cx: at.x.toFixed(1), cy: at.y.toFixed(1), r: radius.toFixed(2), fill, "fill-opacity": opacity }),
      );
      if (look.label && (shownLabels.has(String(i)) || look.forceLabel)) {
        labels.appendChild(make("text", { x: (at.x + radius + 4).toFixed(1), y: (at.y + 4).toFixed(1) }, look.label));
      }
    }
    group.append(nodes, labels);
  }

  function legendBlock(explorer, width) {
    const titles = EdnMap.legendTitles(explorer);
    const entries = EdnMap.legendEntries(explorer);
    const shown = entries.slice(0, 12);
    const columns = Math.max(1, Math.floor((width - 32) / 230));
    const group = make("g", { "font-size": 12, fill: INK });
    let y = 18;
    group.appendChild(make("text", { x: 16, y, "font-weight": 600 }, titles.colour));
    y += 8;
    shown.forEach((entry, k) => {
      const x = 16 + (k % columns) * 230;
      const top = y + Math.floor(k / columns) * ROW;
      group.appendChild(make("circle", { cx: x + 6, cy: top + 8, r: 6, fill: entry.colour }));
      const label = `${entry.label} (${explorer.numbers.format(entry.count)})`;
      group.appendChild(make("text", { x: x + 18, y: top + 12 }, label));
    });
    y += Math.ceil(shown.length / columns) * ROW;
    if (entries.length > shown.length) {
      y += 14;
      const more = EdnMap.format(explorer.strings.more, { count: entries.length - shown.length });
      group.appendChild(make("text", { x: 16, y, fill: MUTED }, more));
    }
    y += 22;
    group.appendChild(make("text", { x: 16, y, fill: MUTED }, titles.size));
    y += 10;
    explorer.payload.legend.levels.forEach((level, k) => {
      const x = 16 + k * 170;
      group.appendChild(
        make("line", { x1: x, y1: y + 8, x2: x + 28, y2: y + 8, stroke: level.colour, "stroke-width": level.width * 1.3 }),
      );
      group.appendChild(make("text", { x: x + 36, y: y + 12 }, level.label));
    });
    y += ROW + 12;
    const highlight = explorer.highlight;
    if (highlight) {
      highlight.groups.forEach((entry, k) => {
        const x = 16 + k * 230;
        group.appendChild(make("line", { x1: x, y1: y - 4, x2: x + 28, y2: y - 4, stroke: entry.colour, "stroke-width": 3 }));
        const label = `${entry.label} (${explorer.numbers.format(highlight.counts[k])})`;
        group.appendChild(make("text", { x: x + 36, y }, label));
      });
      y += ROW + 4;
    }
    for (const line of wrap(titles.ties, width - 32, 12)) {
      group.appendChild(make("text", { x: 16, y, fill: MUTED }, line));
      y += 16;
    }
    return [group, y + 8];
  }

  /* Return the current view as an SVG element, with title and legend. */
  EdnMap.buildSvg = function (explorer) {
    const { width, height } = explorer.renderer.getDimensions();
    const [legend, legendHeight] = legendBlock(explorer, width);
    const total = HEADER + height + legendHeight;
    const svg = make("svg", {
      xmlns: SVG,
      width,
      height: total,
      viewBox: `0 0 ${width} ${total}`,
      "font-family": FONT,
    });
    svg.appendChild(make("rect", { x: 0, y: 0, width, height: total, fill: "#ffffff" }));
    const round = explorer.payload.round.name;
    svg.appendChild(make("text", { x: 16, y: 28, "font-size": 18, "font-weight": 700, fill: INK }, `EDN · ${round}`));
    const date = new Date().toLocaleDateString(explorer.options.language || undefined);
    const subtitle = `${EdnMap.format(explorer.strings.exported, { round, date })} · ${explorer.ui.counts.textContent}`;
    svg.appendChild(make("text", { x: 16, y: 48, "font-size": 12, fill: MUTED }, subtitle));
    const clip = make("clipPath", { id: "edn-map-clip" });
    clip.appendChild(make("rect", { x: 0, y: 0, width, height }));
    svg.appendChild(make("defs")).appendChild(clip);
    const map = make("g", { transform: `translate(0 ${HEADER})`, "clip-path": "url(#edn-map-clip)" });
    drawMap(explorer, map, width, height);
    svg.appendChild(map);
    svg.appendChild(make("line", { x1: 16, y1: HEADER + height, x2: width - 16, y2: HEADER + height, stroke: "#e6e3dc" }));
    legend.setAttribute("transform", `translate(0 ${HEADER + height + 4})`);
    svg.appendChild(legend);
    return svg;
  };

  function download(blob, name) {
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  }

  function svgBlob(svg) {
    const text = new XMLSerializer().serializeToString(svg);
    return new Blob([`<?xml version="1.0" encoding="UTF-8"?>\n${text}`], { type: "image/svg+xml" });
  }

  function pngBlob(svg, scale) {
    const width = Number(svg.getAttribute("width"));
    const height = Number(svg.getAttribute("height"));
    const url = URL.createObjectURL(svgBlob(svg));
    return new Promise((resolve, reject) => {
      const image = new Image();
      image.onload = () => {
        const canvas = document.createElement("canvas");
        canvas.width = width * scale;
        canvas.height = height * scale;
        const context = canvas.getContext("2d");
        context.scale(scale, scale);
        context.drawImage(image, 0, 0, width, height);
        URL.revokeObjectURL(url);
        canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("empty canvas"))), "image/png");
      };
      image.onerror = () => reject(new Error("the SVG could not be drawn"));
      image.src = url;
    });
  }

  /* Download the current view as "png" or "svg". */
  EdnMap.exportView = async function (explorer, kind) {
    if (!explorer.renderer) return;
    const svg = EdnMap.buildSvg(explorer);
    const name = `edn-map-${explorer.payload.round.slug}`;
    if (kind === "svg") {
      download(svgBlob(svg), `${name}.svg`);
    } else {
      download(await pngBlob(svg, 2), `${name}.png`);
    }
  };
})();
