// Confetti from both lower corners, more for more stars. The body records each
// celebration (data-celebrated, and whether motion was reduced) for the browser tests.
import { confetti } from "qdeck-quest";

// Our own canvas and no worker: the default cannon starts a worker from a blob: URL,
// which the page's Content-Security-Policy (rightly) refuses.
let cannon = null;
// Celebrations already shown on this page: NiceGUI may mount the element again on an
// update, and a remount must not celebrate twice.
let shown = 0;
function fireable() {
  if (cannon) return cannon;
  const canvas = document.createElement("canvas");
  canvas.setAttribute("aria-hidden", "true");
  Object.assign(canvas.style, { position: "fixed", inset: "0", width: "100%", height: "100%",
    pointerEvents: "none", zIndex: "6000" });
  document.body.appendChild(canvas);
  cannon = confetti.create(canvas, { resize: true, useWorker: false, disableForReducedMotion: true });
  return cannon;
}

export default {
  template: `<span></span>`,
  props: { fired: Number, stars: Number },
  mounted() {
    this.catchUp();
  },
  watch: {
    fired() { this.catchUp(); },
  },
  methods: {
    catchUp() {
      if (this.fired > shown) {
        shown = this.fired;
        this.fire(this.stars);
      }
    },
    fire(stars) {
      const reduced = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      document.body.dataset.celebrated = String(Number(document.body.dataset.celebrated || 0) + 1);
      document.body.dataset.celebratedMotion = reduced ? "reduced" : "full";
      if (reduced) {
        // canvas-confetti stops drawing (leaving particles frozen) once reduced motion is
        // asked for mid-flight: clear them.
        if (cannon) cannon.reset();
        return;
      }
      const count = 60 + 50 * Math.max(1, stars);
      for (const x of [0.15, 0.85]) {
        fireable()({ particleCount: count, spread: 70, startVelocity: 45, origin: { x, y: 0.9 },
          angle: x < 0.5 ? 60 : 120 });
      }
    },
  },
};
