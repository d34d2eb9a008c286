// The floor-plan grid editor: draw booths, aisles, obstacles and entrances snapped to the grid, edit a booth's
// properties, add rows of booths, and save the whole layout through the API (PUT /api/floorplans/<id>/layout).
(function () {
  "use strict";
  const card = document.getElementById("editor-card");
  if (!card) return;
  const data = JSON.parse(document.getElementById("layout-data").textContent);
  const host = document.getElementById("editor");
  const form = document.getElementById("booth-form");
  const status = document.getElementById("editor-status");
  const NS = "http://www.w3.org/2000/svg";
  const grid = data.grid || 1;
  const fill = {aisle: "#f3efe6", obstacle: "#9aa5b1", entrance: "#cdebd9"};
  let selected = null, drag = null;

  const snap = (v) => Math.round(v / grid) * grid;
  const el = (name, attrs) => {
    const e = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    return e;
  };
  const svg = el("svg", {viewBox: `-1 -1 ${data.width + 2} ${data.depth + 2}`, class: "floorplan editing",
                         role: "application"});
  host.appendChild(svg);

  function point(evt) {
    const p = svg.createSVGPoint();
    p.x = evt.clientX; p.y = evt.clientY;
    const q = p.matrixTransform(svg.getScreenCTM().inverse());
    return {x: Math.min(Math.max(snap(q.x), 0), data.width), y: Math.min(Math.max(snap(q.y), 0), data.depth)};
  }

  function nextCode(prefix) {
    const used = new Set(data.booths.map((b) => b.code));
    for (let n = 1; ; n++) {
      const code = `${prefix}${String(n).padStart(2, "0")}`;
      if (!used.has(code)) return code;
    }
  }

  function draw() {
    svg.replaceChildren();
    svg.appendChild(el("rect", {x: 0, y: 0, width: data.width, height: data.depth, fill: "#fff", stroke: "#52606d",
                                "stroke-width": 0.15}));
    const lines = el("g", {class: "gridlines"});
    for (let x = 0; x <= data.width; x += grid) lines.appendChild(el("line", {x1: x, y1: 0, x2: x, y2: data.depth}));
    for (let y = 0; y <= data.depth; y += grid) lines.appendChild(el("line", {x1: 0, y1: y, x2: data.width, y2: y}));
    svg.appendChild(lines);
    data.parts.forEach((p) => {
      svg.appendChild(el("rect", {x: p.x, y: p.y, width: p.width, height: p.depth, fill: "none", stroke: "#8a3b12",
                                  "stroke-dasharray": 0.6, "stroke-width": 0.12}));
      const t = el("text", {x: p.x + 0.5, y: p.y + 1.5, "font-size": 1.2, fill: "#8a3b12"});
      t.textContent = p.space;
      svg.appendChild(t);
    });
    data.features.forEach((f, i) => {
      const r = el("rect", {x: f.x, y: f.y, width: f.width, height: f.depth, fill: fill[f.kind] || "#eee",
                            class: "feature " + f.kind, "data-index": i});
      r.addEventListener("click", (e) => { if (tool() === "select") { e.stopPropagation(); removeFeature(i); } });
      svg.appendChild(r);
    });
    data.booths.forEach((b, i) => {
      const g = el("g", {class: "booth st-available" + (i === selected ? " mine" : "") + (b.prime ? " prime" : ""),
                         "data-code": b.code});
      g.appendChild(el("rect", {x: b.x, y: b.y, width: b.width, height: b.depth, "stroke-width": i === selected ? 0.3 : 0.08}));
      const size = Math.max(Math.min(b.width / Math.max(b.code.length, 3) * 1.5, b.depth * 0.4), 0.3);
      const t = el("text", {x: b.x + b.width / 2, y: b.y + b.depth / 2 + size * 0.35, "font-size": size,
                            "text-anchor": "middle"});
      t.textContent = b.code;
      g.appendChild(t);
      g.addEventListener("mousedown", (e) => { if (tool() === "select") { e.stopPropagation(); select(i); } });
      svg.appendChild(g);
    });
    if (!data.booths.length && !data.features.length) {
      const t = el("text", {x: data.width / 2, y: data.depth / 2, "font-size": 2, "text-anchor": "middle", fill: "#66788a"});
      t.textContent = host.dataset.empty;
      svg.appendChild(t);
    }
  }

  function tool() { return card.querySelector("input[name=tool]:checked").value; }

  function removeFeature(i) {
    data.features.splice(i, 1);
    draw();
  }

  function select(i) {
    selected = i;
    const b = data.booths[i];
    form.hidden = false;
    for (const name of ["code", "type", "zone", "price_class", "x", "y", "width", "depth"]) form.elements[name].value = b[name] ?? "";
    for (const name of ["power", "water", "prime"]) form.elements[name].checked = !!b[name];
    draw();
  }

  document.getElementById("booth-apply").addEventListener("click", () => {
    if (selected === null) return;
    const b = data.booths[selected];
    for (const name of ["code", "type", "zone", "price_class"]) b[name] = form.elements[name].value.trim();
    for (const name of ["x", "y", "width", "depth"]) b[name] = parseFloat(form.elements[name].value) || 0;
    for (const name of ["power", "water", "prime"]) b[name] = form.elements[name].checked;
    draw();
  });
  document.getElementById("booth-delete").addEventListener("click", () => {
    if (selected === null) return;
    data.booths.splice(selected, 1);
    selected = null;
    form.hidden = true;
    draw();
  });

  svg.addEventListener("mousedown", (e) => {
    if (tool() === "select") { selected = null; form.hidden = true; draw(); return; }
    drag = {start: point(e)};
  });
  svg.addEventListener("mousemove", (e) => {
    if (!drag) return;
    const p = point(e);
    drag.end = p;
    let ghost = svg.querySelector(".ghost");
    if (!ghost) { ghost = el("rect", {class: "ghost"}); svg.appendChild(ghost); }
    ghost.setAttribute("x", Math.min(p.x, drag.start.x)); ghost.setAttribute("y", Math.min(p.y, drag.start.y));
    ghost.setAttribute("width", Math.abs(p.x - drag.start.x)); ghost.setAttribute("height", Math.abs(p.y - drag.start.y));
  });
  window.addEventListener("mouseup", () => {
    if (!drag || !drag.end) { drag = null; return; }
    const r = {x: Math.min(drag.start.x, drag.end.x), y: Math.min(drag.start.y, drag.end.y),
               width: Math.abs(drag.end.x - drag.start.x), depth: Math.abs(drag.end.y - drag.start.y)};
    drag = null;
    if (r.width < grid || r.depth < grid) { draw(); return; }
    const t = tool();
    if (t === "booth") {
      const prefix = (form.elements.zone.value || "A").replace(/[^A-Za-z0-9]/g, "").slice(0, 4) || "A";
      data.booths.push({code: nextCode(prefix), ...r, type: "inline", power: true, water: false, zone: form.elements.zone.value || "",
                        price_class: "standard", prime: false});
      select(data.booths.length - 1);
      return;
    }
    data.features.push({kind: t, ...r, label: ""});
    draw();
  });

  document.getElementById("row-add").addEventListener("click", () => {
    const f = document.getElementById("row-form").elements;
    const n = parseInt(f.count.value, 10) || 0, w = parseFloat(f.width.value), d = parseFloat(f.depth.value);
    let x = parseFloat(f.x.value), y = parseFloat(f.y.value), num = parseInt(f.first.value, 10) || 1;
    const used = new Set(data.booths.map((b) => b.code));
    for (let k = 0; k < n; k++, num++) {
      let code = `${f.prefix.value}${String(num).padStart(2, "0")}`;
      while (used.has(code)) code = `${f.prefix.value}${String(++num).padStart(2, "0")}`;
      used.add(code);
      const end = f.corners.checked && (k === 0 || k === n - 1);
      data.booths.push({code, x, y, width: w, depth: d, type: end ? "corner" : "inline", power: f.power.checked,
                        water: false, zone: f.zone.value, price_class: end ? "corner" : "standard", prime: false});
      if (f.dir.value === "right") x += w; else y += d;
    }
    draw();
  });

  function csrf() {
    const m = document.cookie.match(/csrftoken=([^;]+)/);
    return m ? m[1] : (JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "");
  }

  document.getElementById("editor-save").addEventListener("click", async () => {
    status.textContent = "…";
    const res = await fetch(card.dataset.saveUrl, {method: "PUT", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf(), "Accept-Language": document.documentElement.lang},
      body: JSON.stringify({booths: data.booths, features: data.features, parts: data.parts})});
    const body = await res.json().catch(() => ({}));
    if (res.ok) {
      status.textContent = card.dataset.saved || "✓";
      status.className = "ok";
      window.setTimeout(() => window.location.reload(), 600);
    } else {
      status.textContent = body.detail || res.status;
      status.className = "error";
    }
  });
  draw();
})();
