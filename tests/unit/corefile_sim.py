"""A small model of how CoreDNS reads a Corefile and answers from ``template`` stanzas.

It follows the sources the rendered blocks rely on, so tests can ask "what would a pod get":

- the Corefile lexer (coredns/caddy ``caddyfile/lexer.go``): whitespace-separated tokens, quoted
  tokens where ``\\"`` is a quote and any other backslash is kept, ``#`` comments outside quotes;
- environment substitution of ``{$VAR}`` and ``{%VAR%}`` in every token (``caddyfile/parse.go``);
- server block selection: the block whose zone is the longest suffix of the query name;
- the template plugin (coredns ``plugin/template/template.go``): stanzas in order; class and type
  must match (ANY matches any); the first matching regex answers; a stanza whose regexes do not
  match falls through only with ``fallthrough``; ``{{ .Name }}`` is the lower-cased query name.

It is a model, not CoreDNS: only what the rendered blocks use is implemented, and anything else
fails loudly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

ENV_REFERENCE = re.compile(r"\{\$[^}]+\}|\{%[^%]+%\}")


@dataclass(frozen=True)
class Token:
    text: str
    line: int


def lex(text: str) -> list[Token]:
    """Tokens as coredns/caddy's lexer makes them."""
    tokens: list[Token] = []
    value: list[str] = []
    line = 1
    start = 1
    quoted = escaped = comment = False
    for char in text:
        if quoted:
            if not escaped:
                if char == "\\":
                    escaped = True
                    continue
                if char == '"':
                    quoted = False
                    tokens.append(Token("".join(value), start))
                    value = []
                    continue
            if char == "\n":
                line += 1
            if escaped and char != '"':
                value.append("\\")
            value.append(char)
            escaped = False
            continue
        if char.isspace():
            if char == "\n":
                line += 1
                comment = False
            if value:
                tokens.append(Token("".join(value), start))
                value = []
            continue
        if char == "#":
            comment = True
        if comment:
            continue
        if not value:
            start = line
            if char == '"':
                quoted = True
                continue
        value.append(char)
    assert not quoted, "unterminated quoted token"
    if value:
        tokens.append(Token("".join(value), start))
    return tokens


@dataclass
class Directive:
    name: str
    args: list[str]
    block: list[Directive] = field(default_factory=list)


@dataclass
class ServerBlock:
    keys: list[str]
    directives: list[Directive]

    def zones(self) -> list[str]:
        return [key.rsplit(":", 1)[0].rstrip(".") or "." for key in self.keys]


def parse(text: str) -> list[ServerBlock]:
    """The server blocks of a Corefile (keys, then directives with their sub-blocks).

    Raises:
        AssertionError: unbalanced braces, a token with an environment reference, or a shape
            the model does not know.
    """
    tokens = lex(text)
    for token in tokens:
        assert not ENV_REFERENCE.search(token.text), f"environment reference in {token.text!r}"
    blocks: list[ServerBlock] = []
    i = 0
    while i < len(tokens):
        keys: list[str] = []
        while tokens[i].text != "{":
            keys.append(tokens[i].text)
            i += 1
        i += 1
        directives, i = _directives(tokens, i)
        blocks.append(ServerBlock(keys, directives))
    return blocks


def _directives(tokens: list[Token], i: int) -> tuple[list[Directive], int]:
    directives: list[Directive] = []
    while True:
        assert i < len(tokens), "a block is not closed"
        token = tokens[i]
        if token.text == "}":
            return directives, i + 1
        directive = Directive(token.text, [])
        i += 1
        while i < len(tokens) and tokens[i].line == token.line and tokens[i].text != "{":
            assert tokens[i].text != "}", f"'}}' on the line of {token.text}"
            directive.args.append(tokens[i].text)
            i += 1
        if i < len(tokens) and tokens[i].text == "{" and tokens[i].line == token.line:
            directive.block, i = _directives(tokens, i + 1)
        directives.append(directive)


@dataclass(frozen=True)
class Answer:
    """What a query got: the rcode, and the answer and authority records (zone-file text)."""

    rcode: str
    answer: tuple[str, ...] = ()
    authority: tuple[str, ...] = ()


FORWARDED = Answer("FORWARDED")
"""The query went to a server block this model does not answer (kind's ``.:53``)."""


def query(corefile: str, name: str, qtype: str) -> Answer:
    """What CoreDNS answers to ``name``/``qtype`` from the template stanzas of its block."""
    qname = name.lower().rstrip(".") + "."
    best: tuple[int, ServerBlock] | None = None
    for block in parse(corefile):
        for zone in block.zones():
            if zone == "." or qname == zone + "." or qname.endswith("." + zone + "."):
                size = 0 if zone == "." else len(zone)
                if best is None or size > best[0]:
                    best = (size, block)
    assert best is not None
    _, block = best
    stanzas = [d for d in block.directives if d.name == "template"]
    if not stanzas:
        return FORWARDED
    for stanza in stanzas:
        qclass, stype = stanza.args[:2]
        assert qclass in ("IN", "ANY"), stanza.args
        if stype not in ("ANY", qtype):
            continue
        settings: dict[str, list[str]] = {}
        for line in stanza.block:
            settings.setdefault(line.name, []).extend(line.args)
        unknown = set(settings) - {"match", "answer", "authority", "rcode", "fallthrough"}
        assert not unknown, unknown
        regexes = settings.get("match") or [".*"]
        if not any(re.search(regex, qname) for regex in regexes):
            assert "fallthrough" in settings, "a stanza without fallthrough would end the query"
            continue
        answers = settings.get("answer", [])
        authority = settings.get("authority", [])
        assert answers or authority or settings.get("rcode", ["NOERROR"]) != ["NOERROR"]
        return Answer(
            settings.get("rcode", ["NOERROR"])[0],
            tuple(_execute(text, qname) for text in answers),
            tuple(_execute(text, qname) for text in authority),
        )
    return Answer("SERVFAIL")


def _execute(text: str, qname: str) -> str:
    text = text.replace("{{ .Name }}", qname)
    assert "{{" not in text, f"unexpected template action in {text!r}"
    assert "}}" not in text, f"unexpected template action in {text!r}"
    return text


def txt_text(record: str) -> str:
    """The text of a TXT record's zone-file form: its strings joined, ``\\DDD`` and ``\\X``
    escapes undone (each string must hold at most 255 bytes)."""
    rdata = record.split(" IN TXT ", 1)[1]
    data = bytearray()
    for quoted in re.findall(r'"((?:[^"\\]|\\.)*)"', rdata):
        chunk = bytearray()
        i = 0
        while i < len(quoted):
            if quoted[i] == "\\" and quoted[i + 1 : i + 4].isdigit():
                chunk.append(int(quoted[i + 1 : i + 4]))
                i += 4
            elif quoted[i] == "\\":
                chunk.extend(quoted[i + 1].encode())
                i += 2
            else:
                chunk.extend(quoted[i].encode())
                i += 1
        assert len(chunk) <= 255, "a TXT string is at most 255 bytes"
        data.extend(chunk)
    return data.decode("utf-8")
