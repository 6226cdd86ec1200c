// The composer's palette and grid: drag gates (mouse, pen or touch, by pointer events)
// or tap a gate then a cell; arrow keys select a cell, a letter places a gate. Every edit
// is sent to the server as one operation; the server checks it and sends the new circuit.
const KEYS = {
  h: "h", x: "x", y: "y", z: "z", s: "s", S: "sdg", t: "t", T: "tdg", v: "sx",
  "1": "rx", "2": "ry", "3": "rz", p: "p", c: "cx", w: "swap", m: "measure", b: "barrier",
};
const DRAG_PX = 4;

// One cell of the grid as a component of its own: an edit changes one or a few cells, and
// only those re-render (their ``view`` object is reused while it draws the same), where a
// single template would rebuild all 16 x 40 cells for every edit.
const QdCell = {
  props: { q: Number, c: Number, view: Object, cellId: String, selected: Boolean, current: Boolean, after: Boolean, drop: Boolean },
  emits: ["tap", "press"],
  template: `
    <div role="gridcell" :id="cellId" class="qd-cell" :class="{'qd-selected': selected, 'qd-after': after, 'qd-drop': drop}"
      :data-q="q" :data-c="c" :aria-label="view.aria" :aria-selected="current ? 'true' : 'false'" @click="$emit('tap', q, c)">
      <span v-if="view.up" class="qd-conn qd-conn-up"></span>
      <span v-if="view.down" class="qd-conn qd-conn-down"></span>
      <span v-if="view.role === 'gate'" class="qd-gate" :class="'qd-family-' + view.family"
        @pointerdown.stop="$emit('press', $event, {q, c})">{{ view.label }}<sub v-if="view.angle" class="qd-angle">{{ view.angle }}</sub></span>
      <span v-else-if="view.role === 'control'" class="qd-control" @pointerdown.stop="$emit('press', $event, {q, c})"></span>
      <span v-else-if="view.role === 'partner'" class="qd-swap-end" @pointerdown.stop="$emit('press', $event, {q, c})">\u00d7</span>
    </div>`,
};
// Per grid: the view object last drawn for each cell, with what it drew.
const VIEWS = new WeakMap();

export default {
  components: { QdCell },
  template: `
  <div class="qd-composer">
    <div class="qd-palette" role="toolbar" aria-label="Gates: drag one onto a wire, or pick one and then a cell">
      <button v-for="g in palette" :key="g.key" type="button" class="qd-gate-chip"
        :class="'qd-family-' + g.family" :data-gate="g.key" :title="g.title + (g.keys ? ' (' + g.keys + ')' : '')"
        :aria-label="g.title" :aria-pressed="armed === g.key ? 'true' : 'false'"
        @pointerdown="press($event, {gate: g.key})" @keydown.enter.prevent="arm(g.key)">{{ g.label }}</button>
    </div>
    <div class="qd-grid-scroll">
      <div class="qd-grid" role="grid" tabindex="0" :aria-label="'Circuit, ' + circuit.qubits + ' qubits by ' + circuit.columns + ' columns'"
        :aria-activedescendant="cellId(sel.q, sel.c)" :style="{gridTemplateColumns: '2.6rem repeat(' + circuit.columns + ', 2.5rem)'}"
        @keydown="key" @focus="focused = true" @blur="focused = false">
        <div v-for="q in wires" :key="q" role="row" class="qd-row">
          <div role="rowheader" class="qd-wire-label">q{{ q }}</div>
          <qd-cell v-for="c in columnIndices" :key="c" :q="q" :c="c" :view="view(q, c)" :cell-id="cellId(q, c)"
            :selected="focused && sel.q === q && sel.c === c" :current="sel.q === q && sel.c === c"
            :after="c >= step" :drop="!!hover && hover.q === q && hover.c === c" @tap="tap" @press="press"></qd-cell>
        </div>
      </div>
    </div>
    <div v-if="ghost" class="qd-ghost" :style="{left: ghost.x + 'px', top: ghost.y + 'px'}" aria-hidden="true">{{ ghost.label }}</div>
  </div>`,
  props: { circuit: Object, palette: Array, step: Number },
  data() {
    return { sel: { q: 0, c: 0 }, armed: null, drag: null, ghost: null, hover: null, focused: false };
  },
  computed: {
    wires() { return [...Array(this.circuit.qubits).keys()]; },
    columnIndices() { return [...Array(this.circuit.columns).keys()]; },
    cells() {
      // (q, c) -> what this wire shows in this column
      const map = {};
      for (const cell of this.circuit.cells) {
        const wires = [cell.qubit, ...(cell.partner === null ? [] : [cell.partner]), ...cell.controls];
        const lo = Math.min(...wires), hi = Math.max(...wires);
        for (let w = lo; w <= hi; w++) map[w + ":" + cell.column] = { role: "through", cell, up: w > lo, down: w < hi };
        map[cell.qubit + ":" + cell.column].role = "gate";
        if (cell.partner !== null) map[cell.partner + ":" + cell.column].role = "partner";
        for (const w of cell.controls) map[w + ":" + cell.column].role = "control";
      }
      return map;
    },
  },
  methods: {
    view(q, c) {
      // Not a computed property: it keeps the previous objects, so an unchanged cell gets
      // the very object it had and Vue skips it.
      const circuit = this.circuit;
      let memo = VIEWS.get(this.$);
      if (!memo || memo.circuit !== circuit) {
        memo = { circuit, views: new Map(), before: memo ? memo.views : new Map() };
        VIEWS.set(this.$, memo);
      }
      const key = q + ":" + c;
      let view = memo.views.get(key);
      if (view) return view;
      const here = this.at(q, c);
      const fresh = {
        role: here.role,
        up: !!here.up,
        down: !!here.down,
        label: here.cell ? here.cell.label : "",
        family: here.role === "gate" ? this.family(here.cell.gate) : "",
        angle: here.role === "gate" ? here.cell.angle_text || "" : "",
        aria: this.cellLabel(q, c),
      };
      const old = memo.before.get(key);
      view = old && Object.keys(fresh).every((k) => old[k] === fresh[k]) ? old : fresh;
      memo.views.set(key, view);
      return view;
    },
    cellId(q, c) { return "qd-" + this.$.uid + "-" + q + "-" + c; },
    at(q, c) { return this.cells[q + ":" + c] || { role: "none" }; },
    family(gate) { return (this.palette.find((g) => g.gate === gate) || {}).family || "x"; },
    cellLabel(q, c) {
      const here = this.at(q, c);
      const where = "q" + q + ", column " + (c + 1);
      if (here.role === "gate") return where + ": " + here.cell.title + (here.cell.angle_text ? " " + here.cell.angle_text : "");
      if (here.role === "control") return where + ": control of " + here.cell.title + " on q" + here.cell.qubit;
      if (here.role === "partner") return where + ": swap with q" + here.cell.qubit;
      return where + ": empty";
    },
    arm(gate) {
      this.armed = this.armed === gate ? null : gate;
      this.$emit("armed", this.armed);
    },
    tap(q, c) {
      this.sel = { q, c };
      if (this.armed) this.$emit("edit", { op: "place", gate: this.armed, qubit: q, column: c });
      else this.$emit("select", { qubit: q, column: c });
    },
    press(event, source) {
      if (event.button !== undefined && event.button !== 0) return;
      event.preventDefault();
      const label = source.gate ? this.palette.find((g) => g.key === source.gate).label : (this.at(source.q, source.c).cell || {}).label;
      this.drag = { source, x: event.clientX, y: event.clientY, moved: false, label };
      window.addEventListener("pointermove", this.moved);
      window.addEventListener("pointerup", this.released, { once: true });
    },
    target(event) {
      const el = document.elementFromPoint(event.clientX, event.clientY);
      const cell = el && el.closest(".qd-cell");
      if (!cell || !this.$el.contains(cell)) return null;
      return { q: Number(cell.dataset.q), c: Number(cell.dataset.c) };
    },
    moved(event) {
      const d = this.drag;
      if (!d) return;
      if (!d.moved && Math.hypot(event.clientX - d.x, event.clientY - d.y) < DRAG_PX) return;
      d.moved = true;
      this.ghost = { x: event.clientX, y: event.clientY, label: d.label };
      this.hover = this.target(event);
    },
    released(event) {
      window.removeEventListener("pointermove", this.moved);
      const d = this.drag;
      this.drag = this.ghost = this.hover = null;
      if (!d) return;
      const s = d.source;
      if (!d.moved) {  // a tap: pick the gate, or select the placed one
        if (s.gate) this.arm(s.gate);
        else { this.sel = { q: s.q, c: s.c }; this.$emit("select", { qubit: s.q, column: s.c }); }
        return;
      }
      const to = this.target(event);
      if (s.gate) {
        if (to) { this.sel = to; this.$emit("edit", { op: "place", gate: s.gate, qubit: to.q, column: to.c }); }
      } else if (!to) {
        this.$emit("edit", { op: "delete", qubit: s.q, column: s.c });  // dragged off the grid
      } else if (to.q !== s.q || to.c !== s.c) {
        this.sel = to;
        this.$emit("edit", { op: "move", qubit: s.q, column: s.c, to_qubit: to.q, to_column: to.c });
      }
    },
    key(event) {
      const { q, c } = this.sel;
      const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
      if (moves[event.key] && !event.ctrlKey && !event.metaKey) {
        const [dq, dc] = moves[event.key];
        const nq = Math.max(0, Math.min(this.circuit.qubits - 1, q + dq));
        const nc = Math.max(0, Math.min(this.circuit.columns - 1, c + dc));
        if (event.altKey && this.at(q, c).role !== "none") {
          this.$emit("edit", { op: "move", qubit: q, column: c, to_qubit: nq, to_column: nc });
        }
        this.sel = { q: nq, c: nc };
        this.$emit("select", { qubit: nq, column: nc });
        this.scrollTo(nq, nc);
      } else if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "z") {
        this.$emit("edit", { op: event.shiftKey ? "redo" : "undo" });
      } else if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "y") {
        this.$emit("edit", { op: "redo" });
      } else if (event.key === "Delete" || event.key === "Backspace") {
        this.$emit("edit", { op: "delete", qubit: q, column: c });
      } else if ((event.key === "Enter" || event.key === " ") && this.armed) {
        this.$emit("edit", { op: "place", gate: this.armed, qubit: q, column: c });
      } else if (event.key === "Escape") {
        this.armed = null;
      } else if (KEYS[event.key] && !event.ctrlKey && !event.metaKey && !event.altKey) {
        this.$emit("edit", { op: "place", gate: KEYS[event.key], qubit: q, column: c });
      } else {
        return;
      }
      event.preventDefault();
    },
    scrollTo(q, c) {
      const el = document.getElementById(this.cellId(q, c));
      if (el) el.scrollIntoView({ block: "nearest", inline: "nearest" });
    },
  },
};
