"""Chat messages as HTML that the web page can inject without trusting the author.

A message is written by one member and shown, as HTML, in the browsers of everyone in the
channel: whatever the author types must not be able to run script, load a resource, restyle
the page or phone home when someone merely reads it. markdown-it escapes raw HTML when told
to, but its defaults still allow schemes we do not want (``data:image/...``) and it renders
images, which would let any message embed a tracking pixel. So the safety rules live here,
in one place, in code that says what is allowed rather than what is forbidden:

* a URL survives only if its scheme is http, https or mailto, or it is relative; the check
  runs both when markdown-it parses a link and again when the link is written out, on the
  decoded URL with control characters and whitespace removed, so obfuscated schemes fail;
* images become links to their URL (a click, not a fetch on sight);
* every tag is written by this module's renderer with an allowlist of attributes.

Mentions and job references are found by walking the same tokens that are rendered, so the
service notifies exactly the people the readers see highlighted, and nothing quoted inside
code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from html import unescape
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml, unescapeAll
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

__all__ = [
    "JOB_COMMAND_RE",
    "JOB_REF_RE",
    "MENTION_RE",
    "job_refs_in",
    "mentions_in",
    "render_message",
]

# ``@handle`` or ``@handle@domain`` (someone from another instance). The lookbehind keeps
# e-mail addresses in running text ("bob@example.com") from pinging "example.com". A handle
# does not end in "." or "-" so that "thanks @bob." mentions bob, not "bob.".
MENTION_RE = re.compile(
    r"(?<![^\s(])@"
    r"([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9_])?"
    r"(?:@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)?)"
)

_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
# A job's page, wherever the link points: people paste links from their address bar.
JOB_REF_RE = re.compile(rf"/jobs/({_UUID})(?![0-9A-Za-z_-])")
# The chat command "/job <id>" at the start of a line, which the page shows as a chip.
JOB_COMMAND_RE = re.compile(rf"^/job[ \t]+({_UUID})(?![0-9A-Za-z_-])")

_ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.\-]*):")
# Browsers drop C0 controls and spaces around and inside a scheme ("jav\tascript:"), and
# some tools strip invisible format characters before use; remove all of them before
# reading the scheme so that what we check is at least as permissive as what runs.
_INVISIBLE_RE = re.compile(
    r"[\x00-\x20\x7f-\xa0\u00ad\u200b-\u200f\u2028-\u202f\u2060-\u206f\ufeff\s]"
)

# Bare URLs in text. Not preceded by a scheme-ish character, so "git+https://" or a URL
# already inside another word is left alone. Quotes and angle brackets end it: they are
# how URLs are delimited in prose and they are never worth the risk inside an attribute.
_BARE_URL_RE = re.compile(r"(?<![\w+.\-/@])https?://[A-Za-z0-9\[][^\s<>\"'`\x00-\x1f\x7f]*")
# Sentence punctuation after a URL belongs to the sentence.
_URL_TRAILING = ".,;:!?*_~"

_QASM_LANGS = frozenset({"qasm", "openqasm", "qasm2", "qasm3"})
_QASM_KEYWORDS = frozenset(
    {
        *("OPENQASM", "include", "qreg", "creg", "qubit", "bit", "gate", "measure", "reset"),
        *("barrier", "if", "for", "while", "def", "return", "let", "const", "input", "output"),
        *("opaque", "U", "CX", "ctrl", "inv", "pow"),
    }
)
_QASM_GATES = frozenset(
    {
        *("h", "x", "y", "z", "s", "sdg", "t", "tdg", "sx", "rx", "ry", "rz", "p", "u1", "u2"),
        *("u3", "cx", "cy", "cz", "ch", "swap", "ccx", "cswap", "crx", "cry", "crz", "cp", "id"),
    }
)
_QASM_CONSTANTS = frozenset({"pi", "π", "tau", "τ", "euler"})
# One pass, longest sensible token first. Identifiers are tried before numbers so "q0" stays
# one identifier; the catch-all takes runs of punctuation and whitespace in one match so a
# long circuit is a few thousand matches, not one per character.
_QASM_TOKEN_RE = re.compile(
    r"(?P<com>//[^\n]*|/\*[\s\S]*?(?:\*/|\Z))"
    r"|(?P<str>\"(?:[^\"\\\n]|\\.)*\"?|'(?:[^'\\\n]|\\.)*'?)"
    r"|(?P<id>[^\W\d]\w*)"
    r"|(?P<num>0[xX][0-9a-fA-F_]+|0[bB][01_]+"
    r"|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?)"
    r"|(?P<other>[^\w\"'/.]+|[\s\S])"
)

# The attributes markdown-it's generic tags may carry: an ordered list's start number and
# the cell alignment (rewritten to a class, see below). Anything else it might add in a
# future version is dropped rather than trusted.
_GENERIC_ATTRS = frozenset({"start"})
_ALIGN_RE = re.compile(r"^text-align:(left|right|center)$")
# Tokens that only change emphasis: a mention right after "**" is still at a word start.
_TRANSPARENT = frozenset(
    {"em_open", "em_close", "strong_open", "strong_close", "s_open", "s_close"}
)
_LINK_REL = "noopener noreferrer nofollow"


def render_message(text: str) -> str:
    """HTML for one chat message."""
    return _MD.render(text, {})


def mentions_in(text: str) -> list[str]:
    """The handles ``text`` mentions, lower-cased, without "@", in order, each once.

    Exactly the mentions the rendered message highlights: none from code or link text.
    """
    env: EnvType = {}
    _MD.parse(text, env)
    return _unique(handle.lower() for handle in env.get("qd_mentions", []))


def job_refs_in(text: str) -> list[str]:
    """The job ids ``text`` refers to, lower-cased, in order, each once.

    A reference is a link (or bare URL) to ``/jobs/<id>`` or a line starting ``/job <id>``.
    """
    env: EnvType = {}
    _MD.parse(text, env)
    return _unique(job_id.lower() for job_id in env.get("qd_jobs", []))


def _unique(items: Iterator[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _url_allowed(url: str) -> bool:
    """Whether a (normalised) link target may become an ``href``."""
    # Decode twice over: entities (should one reach us undecoded) and percent-encoding, as
    # normalisation percent-encodes the very characters used to hide a scheme.
    plain = _INVISIBLE_RE.sub("", unquote(unescape(url))).lower()
    scheme = _SCHEME_RE.match(plain)
    if scheme is None:
        # No scheme: a relative path, a fragment, or "//host" (which takes the page's https).
        return True
    return scheme.group(1) in _ALLOWED_SCHEMES


def _highlight_qasm(source: str) -> str:
    """Escaped HTML of OpenQASM source with its tokens wrapped in classed spans."""
    out: list[str] = []
    for match in _QASM_TOKEN_RE.finditer(source):
        kind = match.lastgroup
        piece = match.group()
        css = None
        if kind == "com":
            css = "qd-q-com"
        elif kind == "str":
            css = "qd-q-str"
        elif kind == "num":
            css = "qd-q-num"
        elif kind == "id":
            if piece in _QASM_KEYWORDS:
                css = "qd-q-kw"
            elif piece in _QASM_GATES:
                css = "qd-q-gate"
            elif piece in _QASM_CONSTANTS:
                css = "qd-q-num"
        if css is None:
            out.append(escapeHtml(piece))
        else:
            out.append(f'<span class="{css}">{escapeHtml(piece)}</span>')
    return "".join(out)


# --- Token rewriting: images, bare URLs, mentions, job references ---------------------------


def _chat_rule(state: StateCore) -> None:
    """Core rule, after markdown-it's own: rewrite each inline run for chat."""
    mentions: list[str] = state.env.setdefault("qd_mentions", [])
    jobs: list[str] = state.env.setdefault("qd_jobs", [])
    for token in state.tokens:
        if token.type == "inline" and token.children:
            token.children = _rewrite_inline(token.children, state, mentions, jobs)


def _rewrite_inline(
    children: list[Token], state: StateCore, mentions: list[str], jobs: list[str]
) -> list[Token]:
    out: list[Token] = []
    kept_links: list[bool] = []  # one entry per open link: was it kept?
    in_link = 0
    # The character before the current position, for the mention rule: "" at the start.
    before = ""
    line_start = True
    for token in children:
        kind = token.type
        if kind == "link_open":
            href = token.attrGet("href")
            keep = in_link == 0 and isinstance(href, str) and _url_allowed(href)
            kept_links.append(keep)
            if keep:
                in_link += 1
                _note_jobs(str(href), jobs)
                out.append(token)
            before, line_start = "[", False
        elif kind == "link_close":
            if kept_links and kept_links.pop():
                in_link -= 1
                out.append(token)
            before, line_start = "]", False
        elif kind == "image":
            out.extend(_image_as_link(token, in_link > 0, jobs))
            before, line_start = "]", False
        elif kind == "text":
            if in_link:
                out.append(token)
            else:
                out.extend(_split_text(token.content, before, line_start, state, mentions, jobs))
            before = token.content[-1:] or before
            line_start = False
        elif kind in ("softbreak", "hardbreak"):
            out.append(token)
            before, line_start = "\n", True
        else:
            out.append(token)
            if kind not in _TRANSPARENT:
                before, line_start = "`", False
    return out


def _image_as_link(image: Token, in_link: bool, jobs: list[str]) -> list[Token]:
    # An <img> loads on sight (a read receipt for whoever hosts it); a link loads on a click.
    alt = _plain_text(image.children or [])
    src = image.attrGet("src")
    if in_link or not isinstance(src, str) or not _url_allowed(src):
        return [_text(alt)]
    _note_jobs(src, jobs)
    return [_link_open(src), _text(alt or src), _link_close()]


def _plain_text(tokens: Sequence[Token]) -> str:
    parts: list[str] = []
    for token in tokens:
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.type == "image":
            parts.append(_plain_text(token.children or []))
    return "".join(parts)


def _split_text(
    text: str,
    before: str,
    line_start: bool,
    state: StateCore,
    mentions: list[str],
    jobs: list[str],
) -> list[Token]:
    out: list[Token] = []
    if line_start:
        command = JOB_COMMAND_RE.match(text)
        if command is not None:
            job_id = command.group(1).lower()
            jobs.append(job_id)
            link = _link_open(f"/jobs/{job_id}")
            link.meta["qd_in_app"] = True
            out += [link, _text(f"job {job_id[:8]}"), _link_close()]
            before, text = job_id[-1], text[command.end() :]
    pos = 0
    for match in _BARE_URL_RE.finditer(text):
        url = _trim_url(match.group())
        href = state.md.normalizeLink(url)
        if not _url_allowed(href):
            continue
        out += _with_mentions(text[pos : match.start()], before, mentions)
        _note_jobs(href, jobs)
        out += [_link_open(href), _text(url), _link_close()]
        pos = match.start() + len(url)
        before = url[-1]
    out += _with_mentions(text[pos:], before, mentions)
    return out


def _trim_url(url: str) -> str:
    # A closing bracket is the URL's own only if it opened one: "(see https://x/a_(b))".
    unmatched = {")": url.count(")") - url.count("("), "]": url.count("]") - url.count("[")}
    end = len(url)
    while end:
        last = url[end - 1]
        if last in unmatched and unmatched[last] > 0:
            unmatched[last] -= 1
        elif last not in _URL_TRAILING:
            break
        end -= 1
    return url[:end]


def _with_mentions(text: str, before: str, mentions: list[str]) -> list[Token]:
    if not text:
        return []
    if "@" not in text:
        return [_text(text)]
    # Prefix the preceding character so the lookbehind sees across token boundaries.
    shift = len(before)
    scan = before + text
    out: list[Token] = []
    pos = shift
    for match in MENTION_RE.finditer(scan, shift):
        if match.start() < shift:
            continue
        if match.start() > pos:
            out.append(_text(scan[pos : match.start()]))
        handle = match.group(1)
        mentions.append(handle)
        mention = Token("qd_mention", "span", 0)
        mention.content = handle
        out.append(mention)
        pos = match.end()
    if pos < len(scan):
        out.append(_text(scan[pos:]))
    return out


def _note_jobs(href: str, jobs: list[str]) -> None:
    jobs.extend(match.group(1).lower() for match in JOB_REF_RE.finditer(href))


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _link_open(href: str) -> Token:
    return Token("link_open", "a", 1, attrs={"href": href})


def _link_close() -> Token:
    return Token("link_close", "a", -1)


# --- Rendering -------------------------------------------------------------------------------


class _ChatRenderer(RendererHTML):
    """markdown-it's HTML renderer with every tag that takes user data written here."""

    @staticmethod
    def renderAttrs(token: Token) -> str:
        # Tags without a rule of their own (p, li, ol, th, ...) come through here.
        parts: list[str] = []
        for key, value in token.attrItems():
            if key in _GENERIC_ATTRS:
                parts.append(f' {key}="{escapeHtml(str(value))}"')
            elif key == "style":
                # Table alignment as a class: no style attribute ever leaves this module.
                align = _ALIGN_RE.match(str(value))
                if align is not None:
                    parts.append(f' class="qd-align-{align.group(1)}"')
        return "".join(parts)

    def link_open(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        token = tokens[idx]
        href = token.attrGet("href")
        # Checked again here, on the final URL, so a rule added later that builds links
        # cannot skip the allowlist.
        if not isinstance(href, str) or not _url_allowed(href):
            _drop_matching_close(tokens, idx)
            return ""
        if token.meta.get("qd_in_app"):
            # The app's own page: same tab, and the referrer is ours anyway.
            return f'<a class="qd-job-ref" href="{escapeHtml(href)}">'
        title = token.attrGet("title")
        title_attr = f' title="{escapeHtml(str(title))}"' if title else ""
        return f'<a href="{escapeHtml(href)}"{title_attr} rel="{_LINK_REL}" target="_blank">'

    def link_close(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return "" if tokens[idx].meta.get("qd_drop") else "</a>"

    def image(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        # The core rule turns images into links; should one slip through, show its text.
        return escapeHtml(_plain_text(tokens[idx].children or []))

    def fence(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        token = tokens[idx]
        info = unescapeAll(token.info).strip() if token.info else ""
        lang = info.split(maxsplit=1)[0].lower() if info else ""
        if lang in _QASM_LANGS:
            body = _highlight_qasm(token.content)
            return f'<pre class="qd-code qd-code-qasm"><code>{body}</code></pre>\n'
        return f'<pre class="qd-code"><code>{escapeHtml(token.content)}</code></pre>\n'

    def code_block(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return f'<pre class="qd-code"><code>{escapeHtml(tokens[idx].content)}</code></pre>\n'

    def code_inline(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return f"<code>{escapeHtml(tokens[idx].content)}</code>"

    def qd_mention(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return f'<span class="qd-mention">@{escapeHtml(tokens[idx].content)}</span>'

    # With "html" off markdown-it never emits these; if a future option turned it back on,
    # the markup would still arrive as text.
    def html_block(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return escapeHtml(tokens[idx].content)

    def html_inline(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return escapeHtml(tokens[idx].content)


def _drop_matching_close(tokens: Sequence[Token], idx: int) -> None:
    depth = 0
    for token in tokens[idx + 1 :]:
        if token.type == "link_open":
            depth += 1
        elif token.type == "link_close":
            if depth == 0:
                token.meta["qd_drop"] = True
                return
            depth -= 1


def _build() -> MarkdownIt:
    md = MarkdownIt(
        "commonmark",
        {
            "html": False,
            "linkify": False,
            "typographer": False,
            # A chat box: Enter means a new line, as in every chat the team already uses.
            "breaks": True,
            # Task-list checkboxes would be <input> elements in a message.
            "tasklists": False,
        },
        renderer_cls=_ChatRenderer,
    )
    md.enable(["strikethrough", "table"], ignoreInvalid=True)
    # markdown-it's own validator is a denylist (and lets data:image through); ours is the
    # allowlist, applied while parsing so a refused link stays its literal source text.
    md.validateLink = _url_allowed  # type: ignore[method-assign]
    md.core.ruler.push("qd_chat", _chat_rule)
    return md


# Built once: configuring markdown-it costs more than rendering a typical message.
_MD = _build()
