"""Chat Markdown: hostile input comes out inert, ordinary Markdown still reads well."""

from __future__ import annotations

import re
import time
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

import pytest

from qdeck.collab.markdown import (
    JOB_REF_RE,
    MENTION_RE,
    job_refs_in,
    mentions_in,
    render_message,
)

ALLOWED_TAGS = frozenset(
    {
        *("p", "a", "em", "strong", "code", "pre", "span", "ul", "ol", "li", "blockquote"),
        *("br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr"),
        *("th", "td", "del", "s"),
    }
)
SAFE_SCHEMES = frozenset({"", "http", "https", "mailto"})
JOB = "123e4567-e89b-12d3-a456-426614174000"
JOB2 = "0f0e0d0c-0b0a-4908-8706-050403020100"


class Audit(HTMLParser):
    """Every element and attribute of a fragment, as a browser's tokenizer would see them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += [(name, value or "") for name, value in attrs]

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def audit(html: str) -> Audit:
    parser = Audit()
    parser.feed(html)
    parser.close()
    return parser


def href_scheme(href: str) -> str:
    # What a lenient browser might make of it: decoded, with controls and spaces dropped.
    plain = re.sub(r"[\x00-\x20\x7f-\xa0\s\u200b-\u200f\ufeff]", "", unquote(href)).lower()
    return urlsplit(plain).scheme


def assert_inert(html: str) -> None:
    found = audit(html)
    assert set(found.tags) <= ALLOWED_TAGS, (found.tags, html)
    for name, value in found.attrs:
        assert not name.startswith("on"), html
        assert name not in ("style", "src", "srcset", "formaction", "xlink:href"), html
        if name == "href":
            assert href_scheme(value) in SAFE_SCHEMES, html


XSS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<iframe src=javascript:alert(1)></iframe>",
    "<style>body{display:none}</style>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<math href=javascript:alert(1)>x</math>",
    '<a href="javascript:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](jav&#x09;ascript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](java%0ascript:alert(1))",
    "[x]( javascript:alert(1))",
    "[x](\x01javascript:alert(1))",
    "[x](\u200bjavascript:alert(1))",
    "[x](<javascript:alert(1)>)",
    "[x](vbscript:msgbox(1))",
    "[x](file:///etc/passwd)",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x][r]\n\n[r]: javascript:alert(1)",
    "![x](javascript:alert(1))",
    '![x](https://evil/p.png" onerror="alert(1))',
    "![x](data:image/png;base64,iVBORw0KGgo=)",
    "![tracker](https://evil.example/pixel.gif)",
    "<javascript:alert(1)>",
    "<vbscript:msgbox(1)>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;img src=x onerror=alert(1)&#62;",
    "@<script>alert(1)</script>",
    "@bob<img src=x onerror=alert(1)>",
    "```qasm\nh q[0]; // </code><script>alert(1)</script>\n```",
    '```qasm\ninclude "</code></pre><script>alert(1)</script>";\n```',
    "```html\n</code></pre><script>alert(1)</script>\n```",
    "`</code><script>alert(1)</script>`",
    '[x](https://ok.example "a\\" onmouseover=\\"alert(1)")',
    'https://ok.example/"onmouseover="alert(1)',
    "| a | b |\n|:-|-:|\n| <img src=x onerror=alert(1)> | 2 |",
    "- [ ] <input onfocus=alert(1) autofocus>",
    "> <details open ontoggle=alert(1)>",
    '<form><button formaction="javascript:alert(1)">x</button></form>',
    "[![x](https://i.example/p.png)](javascript:alert(1))",
    "/job <script>alert(1)</script>",
]


@pytest.mark.parametrize("payload", XSS)
def test_hostile_input_renders_inert(payload: str) -> None:
    assert_inert(render_message(payload))


def test_the_corpus_is_broad() -> None:
    assert len(XSS) >= 25


@pytest.mark.parametrize(
    "payload",
    [
        "[x](javascript:alert(1))",
        "[x](JAVASCRIPT:alert(1))",
        "[x](jav&#x09;ascript:alert(1))",
        "[x]( javascript:alert(1))",
        "[x](data:text/html,hi)",
        "<javascript:alert(1)>",
        "![x](javascript:alert(1))",
        "![x](data:image/png;base64,iVBORw0KGgo=)",
    ],
)
def test_a_refused_url_is_text_not_a_link(payload: str) -> None:
    assert "<a" not in render_message(payload)


def test_raw_html_is_shown_as_text() -> None:
    html = render_message("<script>alert(1)</script> <img src=x onerror=alert(1)>")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_emphasis_lists_quotes_and_tables_render() -> None:
    html = render_message(
        "**bold** *it* ~~gone~~\n\n- one\n- two\n\n1. first\n\n> quoted\n\n"
        "| a | b |\n|:-|-:|\n| 1 | 2 |"
    )
    assert "<strong>bold</strong>" in html
    assert "<em>it</em>" in html
    assert "<s>gone</s>" in html
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in html
    assert "<ol>\n<li>first</li>\n</ol>" in html
    assert "<blockquote>" in html
    assert '<th class="qd-align-left">a</th>' in html
    assert '<td class="qd-align-right">2</td>' in html
    assert_inert(html)


def test_a_new_line_is_a_line_break() -> None:
    assert render_message("one\ntwo") == "<p>one<br />\ntwo</p>\n"


def test_links_open_in_a_new_tab_without_referrer() -> None:
    html = render_message('[docs](https://example.com/a?b=1&c=2 "Docs")')
    assert html == (
        '<p><a href="https://example.com/a?b=1&amp;c=2" title="Docs" '
        'rel="noopener noreferrer nofollow" target="_blank">docs</a></p>\n'
    )


@pytest.mark.parametrize(
    ("source", "href"),
    [
        ("[a](mailto:ann@example.com)", "mailto:ann@example.com"),
        ("[a](/jobs)", "/jobs"),
        ("[a](#top)", "#top"),
        ("[a](HTTPS://Example.com)", "HTTPS://Example.com"),
        ("<https://example.com/x>", "https://example.com/x"),
    ],
)
def test_allowed_links_are_kept(source: str, href: str) -> None:
    html = render_message(source)
    assert f'<a href="{href}" rel="noopener noreferrer nofollow" target="_blank">' in html


def test_bare_urls_are_linked_without_their_punctuation() -> None:
    html = render_message("See https://example.com/a_(b)). Or http://x.example/path, please")
    assert (
        '<a href="https://example.com/a_(b)" rel="noopener noreferrer nofollow" '
        'target="_blank">https://example.com/a_(b)</a>).'
    ) in html
    assert ">http://x.example/path</a>, please" in html


def test_bare_urls_are_not_linked_in_code_or_inside_a_link() -> None:
    assert "<a" not in render_message("`https://example.com`")
    assert "<a" not in render_message("```\nhttps://example.com\n```")
    html = render_message("[see https://b.example](https://a.example)")
    assert html.count("<a ") == 1


def test_an_image_becomes_a_link_to_it() -> None:
    html = render_message("![the plot](https://example.com/plot.png)")
    assert html == (
        '<p><a href="https://example.com/plot.png" rel="noopener noreferrer nofollow" '
        'target="_blank">the plot</a></p>\n'
    )
    assert "<img" not in render_message("[![x](https://i.example/p.png)](https://l.example)")


def test_qasm_is_highlighted_and_escaped() -> None:
    html = render_message(
        '```qasm\nOPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\n'
        "h q[0]; /* bell */\ncx q[0],q[1];\nrz(pi/2) q[1]; // </code><script>\n```"
    )
    assert html.startswith('<pre class="qd-code qd-code-qasm"><code>')
    assert html.endswith("</code></pre>\n")
    assert '<span class="qd-q-kw">OPENQASM</span> <span class="qd-q-num">2.0</span>;' in html
    assert '<span class="qd-q-str">&quot;qelib1.inc&quot;</span>' in html
    assert '<span class="qd-q-gate">h</span> q[<span class="qd-q-num">0</span>];' in html
    assert '<span class="qd-q-com">/* bell */</span>' in html
    assert '<span class="qd-q-gate">cx</span>' in html
    assert '<span class="qd-q-num">pi</span>/<span class="qd-q-num">2</span>' in html
    assert '<span class="qd-q-com">// &lt;/code&gt;&lt;script&gt;</span>' in html
    assert "<script" not in html
    assert_inert(html)


@pytest.mark.parametrize("info", ["qasm", "openqasm", "QASM3", "qasm2 {title}"])
def test_every_qasm_info_string_highlights(info: str) -> None:
    html = render_message(f"```{info}\nx q[0];\n```")
    assert '<span class="qd-q-gate">x</span>' in html


def test_other_code_is_escaped_plain() -> None:
    html = render_message("```python\nif a < b: print('<b>')\n```")
    assert html == "<pre class=\"qd-code\"><code>if a &lt; b: print('&lt;b&gt;')\n</code></pre>\n"
    assert render_message("    h q[0];") == '<pre class="qd-code"><code>h q[0];\n</code></pre>\n'
    assert render_message("`<b>`") == "<p><code>&lt;b&gt;</code></p>\n"


def test_mentions_are_highlighted() -> None:
    html = render_message("hi @Bob, (@carol) and **@dave**.")
    assert '<span class="qd-mention">@Bob</span>,' in html
    assert '(<span class="qd-mention">@carol</span>)' in html
    assert '<strong><span class="qd-mention">@dave</span></strong>' in html


def test_a_remote_mention_keeps_its_domain_but_not_the_full_stop() -> None:
    html = render_message("thanks @ann@lab.example.org.")
    assert '<span class="qd-mention">@ann@lab.example.org</span>.' in html
    assert mentions_in("thanks @ann@lab.example.org.") == ["ann@lab.example.org"]


def test_an_email_address_in_running_text_is_not_a_mention() -> None:
    # The "@" must follow whitespace or "(": an address is someone's mailbox, not a ping.
    assert "qd-mention" not in render_message("write to bob@example.com")
    assert mentions_in("write to bob@example.com") == []


def test_mentions_in_code_or_link_text_are_not_mentions() -> None:
    text = "`@eve` and\n```\n@mallory\n```\n[@trent](https://example.com)"
    assert "qd-mention" not in render_message(text)
    assert mentions_in(text) == []


def test_mentions_in_is_ordered_lower_cased_and_unique() -> None:
    text = "@Bob and @alice\n\n- @BOB again, @carol.x_y\n\n`@zed`"
    assert mentions_in(text) == ["bob", "alice", "carol.x_y"]


def test_mention_regex_shape() -> None:
    assert [m.group(1) for m in MENTION_RE.finditer("@a.b x@y (@c-d) @-no")] == ["a.b", "c-d"]


def test_a_job_command_line_becomes_an_in_app_link() -> None:
    html = render_message(f"/job {JOB.upper()} looks stuck\n/job {JOB2}")
    assert (
        f'<a class="qd-job-ref" href="/jobs/{JOB}">job 123e4567</a> looks stuck<br />\n'
        f'<a class="qd-job-ref" href="/jobs/{JOB2}">job 0f0e0d0c</a>'
    ) in html
    assert "target" not in html


def test_a_job_command_mid_line_or_in_code_is_left_alone() -> None:
    assert "qd-job-ref" not in render_message(f"try /job {JOB}")
    assert "qd-job-ref" not in render_message(f"`/job {JOB}`")
    assert job_refs_in(f"try /job {JOB}\n\n```\n/job {JOB2}\n```") == []


def test_job_refs_come_from_links_urls_and_commands() -> None:
    text = (
        f"see https://qdeck.example/jobs/{JOB.upper()}/logs and [this](/jobs/{JOB2})\n"
        f"/job {JOB}\n\n`/jobs/{'a' * 8}-0000-0000-0000-{'0' * 12}`"
    )
    assert job_refs_in(text) == [JOB, JOB2]


def test_job_ref_regex_shape() -> None:
    assert JOB_REF_RE.search(f"/jobs/{JOB}")
    assert not JOB_REF_RE.search(f"/jobs/{JOB}0")


def test_rendering_is_deterministic() -> None:
    text = "**a** @b https://c.example `d`\n```qasm\nh q;\n```"
    assert render_message(text) == render_message(text)


def test_a_long_message_renders_fast() -> None:
    line = (
        f"Hello **@bob**, job https://qdeck.example/jobs/{JOB} failed; "
        "see `h q[0];` and [the docs](https://docs.example/x).\n"
    )
    text = (line * (10_000 // len(line) + 1))[:10_000]
    render_message(text)
    best = min(_timed(text) for _ in range(3))
    assert best < 0.05


def _timed(text: str) -> float:
    start = time.perf_counter()
    render_message(text)
    return time.perf_counter() - start
