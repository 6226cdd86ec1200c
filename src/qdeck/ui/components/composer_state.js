// The composer's live displays: Bloch spheres, the probability histogram and a page of
// the amplitude table. Each render stamps the display's version on the element
// (data-rendered), which the browser tests and the benchmark wait for.
import { describe, drawSphere } from "bloch_sphere";

export default {
  template: `
  <div class="qd-state" :data-rendered="rendered">
    <section class="qd-state-part" aria-label="Bloch spheres">
      <h3 class="qd-state-title">Bloch spheres <span class="qd-muted text-xs">(drag to turn)</span></h3>
      <div class="qd-bloch-grid">
        <figure v-for="(v, q) in display.bloch" :key="q" class="qd-bloch" :data-q="q" :data-length="display.purity[q]">
          <canvas ref="spheres" tabindex="0" role="img" :aria-label="label(q, v)"
            @pointerdown="grab" @keydown="turn"></canvas>
          <figcaption>q{{ q }} <span class="qd-muted">|r| {{ display.purity[q].toFixed(2) }}</span></figcaption>
        </figure>
      </div>
    </section>
    <section class="qd-state-part" aria-label="Probabilities">
      <h3 class="qd-state-title">Probabilities <span v-if="!display.histogram.all" class="qd-muted text-xs">(the {{ display.histogram.bars.length }} most likely)</span></h3>
      <div class="qd-histogram-bars" role="list">
        <div v-for="bar in display.histogram.bars" :key="bar[0]" class="qd-hbar" role="listitem"
          :data-label="bar[0]" :data-p="bar[1]" :aria-label="bar[0] + ': ' + percent(bar[1])">
          <span class="qd-hbar-value">{{ percent(bar[1]) }}</span>
          <span class="qd-hbar-fill" :style="{height: 'calc((100% - 2.8rem) * ' + bar[1] + ')'}"></span>
          <span class="qd-hbar-label qd-mono">{{ bar[0] }}</span>
        </div>
      </div>
      <p v-if="display.histogram.rest > 0.00005" class="qd-muted text-xs">Other outcomes together: {{ percent(display.histogram.rest) }}</p>
    </section>
    <section class="qd-state-part" aria-label="Amplitudes">
      <h3 class="qd-state-title">Amplitudes</h3>
      <div class="qd-amp-controls">
        <button type="button" class="qd-amp-button" @click="$emit('order', !display.amplitudes.likely_first)">
          {{ display.amplitudes.likely_first ? 'Most likely first' : 'Basis order' }}</button>
        <button type="button" class="qd-amp-button" :disabled="display.amplitudes.page === 0" aria-label="Previous amplitudes"
          @click="$emit('page', display.amplitudes.page - 1)">\u2039</button>
        <span class="text-xs">page {{ display.amplitudes.page + 1 }} of {{ display.amplitudes.pages }}</span>
        <button type="button" class="qd-amp-button" :disabled="display.amplitudes.page + 1 >= display.amplitudes.pages" aria-label="Next amplitudes"
          @click="$emit('page', display.amplitudes.page + 1)">\u203a</button>
      </div>
      <div class="qd-amp-wrap" tabindex="0" aria-label="Amplitude table, scrolls sideways on narrow screens">
      <table class="qd-amp-table">
        <thead><tr><th scope="col">State</th><th scope="col">Amplitude</th><th scope="col">Magnitude</th><th scope="col">Phase</th><th scope="col">p</th></tr></thead>
        <tbody>
          <tr v-for="row in display.amplitudes.rows" :key="row.label" :data-label="row.label">
            <td class="qd-mono">|{{ row.label }}\u27e9</td>
            <td class="qd-mono">{{ complex(row) }}</td>
            <td><span class="qd-mag"><span :style="{width: (100 * row.magnitude) + '%', background: hue(row)}"></span></span></td>
            <td><span class="qd-phase-dot" :style="{background: hue(row)}" aria-hidden="true"></span>{{ row.magnitude > 1e-9 ? row.phase.toFixed(0) + '\u00b0' : '\u2013' }}</td>
            <td>{{ percent(row.p) }}</td>
          </tr>
        </tbody>
      </table>
      </div>
    </section>
  </div>`,
  props: { display: Object, version: Number },
  data() {
    return { view: { azimuth: -0.55, elevation: 0.35 }, rendered: -1 };
  },
  mounted() {
    this.draw();
    // The theme can change without a reload (the header's toggle).
    this.themeWatch = new MutationObserver(() => this.draw());
    this.themeWatch.observe(document.body, { attributes: true, attributeFilter: ["class"] });
  },
  unmounted() {
    if (this.themeWatch) this.themeWatch.disconnect();
  },
  updated() {
    this.draw();
  },
  methods: {
    draw() {
      const spheres = this.$refs.spheres || [];
      spheres.forEach((canvas, q) => drawSphere(canvas, this.display.bloch[q], this.view));
      this.rendered = this.version;
    },
    label(q, v) { return describe(q, v, this.display.measured.includes(q)); },
    percent(p) { return (100 * p).toFixed(1) + "%"; },
    hue(row) { return row.magnitude > 1e-9 ? `hsl(${(row.phase + 360) % 360}, 70%, 50%)` : "transparent"; },
    complex(row) {
      const f = (x) => (Math.abs(x) < 5e-5 ? 0 : x).toFixed(3);
      return f(row.re) + (row.im < 0 ? " \u2212 " : " + ") + f(Math.abs(row.im)) + "i";
    },
    grab(event) {
      const start = { x: event.clientX, y: event.clientY, ...this.view };
      const move = (e) => {
        this.view = {
          azimuth: start.azimuth - (e.clientX - start.x) * 0.01,
          elevation: Math.max(-1.4, Math.min(1.4, start.elevation + (e.clientY - start.y) * 0.01)),
        };
        this.draw();
      };
      window.addEventListener("pointermove", move);
      window.addEventListener("pointerup", () => window.removeEventListener("pointermove", move), { once: true });
    },
    turn(event) {
      const steps = { ArrowLeft: [0.15, 0], ArrowRight: [-0.15, 0], ArrowUp: [0, -0.15], ArrowDown: [0, 0.15] };
      if (!steps[event.key]) return;
      event.preventDefault();
      this.view = {
        azimuth: this.view.azimuth + steps[event.key][0],
        elevation: Math.max(-1.4, Math.min(1.4, this.view.elevation + steps[event.key][1])),
      };
      this.draw();
    },
  },
};
