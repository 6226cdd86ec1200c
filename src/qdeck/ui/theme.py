"""qdeck's look: brand colours, status colours, and the few styles Tailwind cannot say."""

from __future__ import annotations

from nicegui import ui

from qdeck.jobs.status import JobStatus

FAVICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
    '<rect width="32" height="32" rx="8" fill="#4f46e5"/>'
    '<circle cx="16" cy="16" r="6" fill="none" stroke="#fff" stroke-width="2.5"/>'
    '<circle cx="16" cy="16" r="2" fill="#fff"/></svg>'
)

BRAND = {
    "primary": "#4f46e5",
    "secondary": "#0ea5e9",
    "accent": "#8b5cf6",
    "positive": "#15803d",
    "negative": "#b91c1c",
    "warning": "#b45309",
    "info": "#2563eb",
    "dark": "#0f172a",
    "dark_page": "#0b1020",
}

# Quasar colour names per job status; chosen for contrast on light and dark cards.
STATUS_COLORS = {
    JobStatus.QUEUED: "blue-grey-7",  # -6 is 4.37:1 behind white text
    JobStatus.RUNNING: "info",
    JobStatus.CANCELLING: "warning",
    JobStatus.COMPLETED: "positive",
    JobStatus.FAILED: "negative",
    JobStatus.CANCELLED: "grey-7",
    "open": "info",
    "active": "positive",
    "closed": "grey-7",
    "expired": "grey-7",
    "online": "positive",
    "paused": "warning",
    "offline": "negative",
}
STATUS_ICONS = {
    JobStatus.QUEUED: "schedule",
    JobStatus.RUNNING: "sync",
    JobStatus.CANCELLING: "hourglass_top",
    JobStatus.COMPLETED: "check_circle",
    JobStatus.FAILED: "error",
    JobStatus.CANCELLED: "block",
}
# Hex for charts (ECharts does not know Quasar names).
STATUS_HEX = {
    JobStatus.QUEUED: "#64748b",
    JobStatus.RUNNING: "#2563eb",
    JobStatus.CANCELLING: "#d97706",
    JobStatus.COMPLETED: "#16a34a",
    JobStatus.FAILED: "#dc2626",
    JobStatus.CANCELLED: "#94a3b8",
}

CSS = """
:root { --qd-card: #ffffff; --qd-border: #e5e7eb; --qd-muted: #475569; --qd-page: #f5f6fa; }
body.body--dark { --qd-card: #131a2e; --qd-border: #26304a; --qd-muted: #aab4c8;
  --qd-page: #0b1020; }
/* White on the brand indigo passes AA; indigo (or dark red) text on a dark card does not:
   lighten it. Quasar's `.text-primary { color: var(--q-primary) !important }` sits in a
   cascade layer, and a layered !important beats any unlayered one, so a `color` rule here
   cannot win; redefining the variable on those elements does (it is read where it is used,
   so filled `bg-primary` buttons keep the brand indigo behind their white text). A focused
   field colours its label and an invalid one its message the same way, without a class. */
body.body--dark .text-primary, body.body--dark .q-field { --q-primary: #a5b4fc; }
body.body--dark .text-negative, body.body--dark .q-field { --q-negative: #fca5a5; }
body.body--dark .text-positive { --q-positive: #86efac; }
body.body--dark .text-warning { --q-warning: #fcd34d; }
body.body--dark .text-info { --q-info: #93c5fd; }
/* Quasar's `.text-grey-N` are fixed mid-greys (#757575 is 3.75:1 on a dark card). Their
   !important lives in the last layer; NiceGUI's earlier `overrides` layer outranks it. */
@layer overrides {
  body.body--dark .text-grey-7, body.body--dark .text-grey-8 {
    color: var(--qd-muted) !important; } }
/* A filled chip without a text colour would take the page's text colour (dark on indigo). */
.q-chip[class*=" bg-"]:not(.q-chip--colored) { color: #fff; }
.qd-eyebrow { color: #4338ca !important; }
body.body--dark .qd-eyebrow { color: #c7d2fe !important; }
body { background: var(--qd-page); font-family: Inter, ui-sans-serif, system-ui, -apple-system,
  "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; -webkit-font-smoothing: antialiased; }
.qd-card { background: var(--qd-card) !important; border: 1px solid var(--qd-border);
  border-radius: 14px !important; box-shadow: 0 1px 2px rgba(15, 23, 42, .04) !important; }
.qd-muted { color: var(--qd-muted); }
.qd-mono { font-family: "DejaVu Sans Mono", ui-monospace, SFMono-Regular, Menlo, Consolas,
  monospace; }
.qd-header { background: var(--qd-card) !important; color: inherit !important;
  border-bottom: 1px solid var(--qd-border); }
.qd-drawer { background: var(--qd-card) !important; border-right: 1px solid var(--qd-border); }
.qd-nav .q-item { border-radius: 10px; margin: 2px 8px; min-height: 40px; }
.qd-nav .q-item--active { background: rgba(79, 70, 229, .12); color: #4338ca; font-weight: 600; }
body.body--dark .qd-nav .q-item--active { background: rgba(129, 140, 248, .18); color: #c7d2fe; }
.qd-table { background: transparent !important; }
.qd-table thead th { font-weight: 600; color: var(--qd-muted); font-size: .8rem; }
.q-timeline__title { font-size: .95rem !important; font-weight: 600; margin-bottom: 0 !important; }
.q-timeline__subtitle { font-size: .72rem !important; opacity: .9; }
.q-timeline__content { padding-bottom: 14px !important; font-size: .8rem; color: var(--qd-muted); }
/* Jobs filters: two per row on a phone; one row from a laptop up, where each box shares
   the width instead of having a fixed one (a fixed narrow Tag box wrapped the row). */
.qd-filters { flex-wrap: wrap; }
.qd-filters > * { flex: 1 1 calc(50% - 8px); min-width: 0; }
.qd-filters > .qd-filter-wide, .qd-filters > .qd-filter-dates { flex-basis: 100%; }
@media (min-width: 1024px) {
  .qd-filters { flex-wrap: nowrap; }
  .qd-filters > * { flex: 1 1 0; min-width: 9.5rem; }
  .qd-filters > .qd-filter-wide { flex: 1.4 1 0; min-width: 10rem; }
  .qd-filters > .qd-filter-narrow { flex: .6 1 0; min-width: 5rem; }
  .qd-filters > .qd-filter-dates, .qd-filters > .qd-filter-actions { flex: 0 0 auto; } }
.qd-filter-dates { min-height: 40px; }
.qd-table tbody tr:hover td { background: rgba(79, 70, 229, .05); }
.qd-pre { white-space: pre; overflow-x: auto; font-size: 12px; line-height: 1.35;
  background: rgba(148, 163, 184, .12); border-radius: 10px; padding: 12px; }
.qd-hero { background:
  radial-gradient(1200px 500px at 10% -10%, rgba(79, 70, 229, .25), transparent),
  radial-gradient(900px 500px at 90% 0%, rgba(14, 165, 233, .18), transparent); }
.qd-gradient-text { background: linear-gradient(90deg, #4f46e5, #0ea5e9);
  -webkit-background-clip: text; background-clip: text; color: transparent; }
body.body--dark .qd-gradient-text { background: linear-gradient(90deg, #a5b4fc, #7dd3fc);
  -webkit-background-clip: text; background-clip: text; }
/* The workspace switcher (header) is as wide as the workspace's name, up to a limit. */
.qd-header .q-select { width: auto; min-width: 8rem; max-width: 40vw; }
@media (min-width: 600px) { .qd-header .q-select { max-width: 24rem; } }
.qd-header .q-select .q-field__native > span { white-space: nowrap; }
a.qd-link { color: #4338ca; text-decoration: none; font-weight: 500; }
a.qd-link:hover { text-decoration: underline; }
body.body--dark a.qd-link { color: #a5b4fc; }
/* githubLight's green tokens are 4.6:1 on white but 4.4:1 on its tinted active line:
   mark the line with a bar at its edge instead of a fill. */
body:not(.body--dark) .qd-editor .cm-editor .cm-activeLine { background-color: transparent;
  box-shadow: inset 3px 0 0 rgba(79, 70, 229, .45); }
/* The landing page's little histogram: bars in front of their grid lines. */
.qd-preview-plot, .qd-preview-axis { display: grid; grid-template-columns: repeat(4, 1fr);
  column-gap: 14%; padding: 0 6%; width: 100%; }
.qd-preview-plot { height: 8rem; align-items: end; border-bottom: 1px solid var(--qd-muted);
  background-image: repeating-linear-gradient(to top, var(--qd-border) 0 1px,
    transparent 1px 25%); }
.qd-preview-bar { background: #6366f1; border-radius: 6px 6px 0 0; }
:focus-visible { outline: 2px solid #6366f1 !important; outline-offset: 2px; }
"""


def apply_theme(theme: str = "auto") -> ui.dark_mode:
    """Brand colours, shared styles and the viewer's light/dark choice for this page."""
    ui.colors(**BRAND)
    ui.add_css(CSS)
    return ui.dark_mode({"dark": True, "light": False}.get(theme))


def status_color(status: str) -> str:
    return STATUS_COLORS.get(status, "grey-7")
