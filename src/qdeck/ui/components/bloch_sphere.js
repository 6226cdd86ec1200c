// One Bloch sphere per qubit, drawn in 3-D perspective on a 2-D canvas (one cheap draw
// per sphere per edit; 16 WebGL contexts would hit the browser's limit). Dragging any
// sphere, or arrow keys on a focused one, turns all of them together.
function project(v, view) {
  const [x, y, z] = v;
  const ca = Math.cos(view.azimuth), sa = Math.sin(view.azimuth);
  const ce = Math.cos(view.elevation), se = Math.sin(view.elevation);
  const x1 = x * ca - y * sa, y1 = x * sa + y * ca;
  return { right: y1, up: z * ce - x1 * se, depth: x1 * ce + z * se };
}

function palette() {
  const dark = document.body.classList.contains("body--dark");
  return dark
    ? { line: "rgba(148,163,184,.55)", back: "rgba(148,163,184,.25)", text: "#e2e8f0", vector: "#a5b4fc", fill: "rgba(99,102,241,.10)" }
    : { line: "rgba(71,85,105,.55)", back: "rgba(71,85,105,.22)", text: "#334155", vector: "#4f46e5", fill: "rgba(79,70,229,.06)" };
}

export function drawSphere(canvas, vector, view) {
  const size = canvas.clientWidth || 112;
  const ratio = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(size * ratio)) {
    canvas.width = Math.round(size * ratio);
    canvas.height = Math.round(size * ratio);
  }
  const g = canvas.getContext("2d");
  const colors = palette();
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, size, size);
  const c = size / 2, r = size * 0.36;
  const at = (v) => { const p = project(v, view); return [c + r * p.right, c - r * p.up, p.depth]; };
  g.fillStyle = colors.fill;
  g.strokeStyle = colors.line;
  g.lineWidth = 1;
  g.beginPath(); g.arc(c, c, r, 0, 2 * Math.PI); g.fill(); g.stroke();
  // equator and a meridian: the half behind the sphere lighter
  for (const circle of [(t) => [Math.cos(t), Math.sin(t), 0], (t) => [Math.cos(t), 0, Math.sin(t)]]) {
    for (let i = 0; i < 48; i++) {
      const a = at(circle((i / 48) * 2 * Math.PI)), b = at(circle(((i + 1) / 48) * 2 * Math.PI));
      g.strokeStyle = a[2] + b[2] < 0 ? colors.back : colors.line;
      g.beginPath(); g.moveTo(a[0], a[1]); g.lineTo(b[0], b[1]); g.stroke();
    }
  }
  g.font = "10px Inter, system-ui, sans-serif";
  g.fillStyle = colors.text;
  g.textAlign = "center";
  g.textBaseline = "middle";
  for (const [v, label] of [[[0, 0, 1.28], "|0\u27e9"], [[0, 0, -1.28], "|1\u27e9"], [[1.3, 0, 0], "x"], [[0, 1.3, 0], "y"]]) {
    const p = at(v);
    g.fillText(label, p[0], p[1]);
  }
  g.strokeStyle = colors.back;
  for (const axis of [[1, 0, 0], [0, 1, 0], [0, 0, 1]]) {
    const a = at(axis), b = at(axis.map((x) => -x));
    g.beginPath(); g.moveTo(a[0], a[1]); g.lineTo(b[0], b[1]); g.stroke();
  }
  const tip = at(vector);
  g.strokeStyle = colors.vector;
  g.fillStyle = colors.vector;
  g.lineWidth = 2.5;
  g.beginPath(); g.moveTo(c, c); g.lineTo(tip[0], tip[1]); g.stroke();
  g.beginPath(); g.arc(tip[0], tip[1], 3.5, 0, 2 * Math.PI); g.fill();
}

export function describe(q, v, measured) {
  const f = (x) => (Math.abs(x) < 5e-4 ? 0 : x).toFixed(2);
  const length = Math.hypot(...v);
  const kind = length > 0.999 ? "pure" : length < 0.001 ? "maximally mixed" : "mixed";
  return `q${q} Bloch vector x ${f(v[0])}, y ${f(v[1])}, z ${f(v[2])}; length ${f(length)}, ${kind}` + (measured ? ", measured" : "");
}
