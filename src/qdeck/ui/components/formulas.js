// Lesson text: server-rendered Markdown whose formulas (span.qd-math) KaTeX draws here.
import { katex } from "qdeck-quest";

function styleSheet() {
  if (document.getElementById("qd-katex-css")) return;
  const link = document.createElement("link");
  link.id = "qd-katex-css";
  link.rel = "stylesheet";
  link.href = import.meta.resolve("qdeck-quest/katex.min.css");
  document.head.appendChild(link);
}

export default {
  template: `<div></div>`,
  props: { html: String },
  mounted() {
    styleSheet();
    this.draw();
  },
  updated() {
    this.draw();
  },
  watch: {
    html() { this.draw(); },
  },
  methods: {
    draw() {
      this.$el.innerHTML = this.html;
      for (const el of this.$el.querySelectorAll(".qd-math")) {
        katex.render(el.dataset.tex, el, { displayMode: el.dataset.display === "1", throwOnError: false, output: "htmlAndMathml" });
      }
      this.$el.dataset.formulas = String(this.$el.querySelectorAll(".katex").length);
    },
  },
};
