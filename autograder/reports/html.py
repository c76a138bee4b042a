"""The page frame shared by the HTML outputs: static, self-contained, no scripts."""
from __future__ import annotations

from html import escape

CSS = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans CJK KR",
       "Noto Sans KR", "Malgun Gothic", "Apple SD Gothic Neo", sans-serif; color: #1d232b;
       max-width: 1100px; margin: 2em auto; padding: 0 1.2em; }
h1 { font-size: 1.6em; margin-bottom: .2em; } h2 { margin-top: 1.8em; border-bottom: 1px solid
#dde2e8; padding-bottom: .2em; } h3 { margin-bottom: .3em; }
.muted { color: #5b6673; } .summary { font-size: 1.05em; }
table { border-collapse: collapse; margin: .6em 0 1.2em; font-size: .93em; }
th, td { border: 1px solid #dde2e8; padding: .3em .55em; text-align: left; vertical-align: top; }
th { background: #f3f5f8; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
ul.checks { list-style: none; padding-left: 0; } ul.checks li { margin: .35em 0; }
.mark { display: inline-block; min-width: 5.5em; font-weight: 600; }
.passed .mark { color: #1a7f37; } .failed .mark, .error .mark, .timeout .mark { color: #b42318; }
.skipped .mark, .hidden .mark { color: #5b6673; }
.note { margin: .15em 0 0 5.8em; } .flag { color: #8a4b00; }
pre { background: #f6f8fa; padding: .6em; overflow-x: auto; font-size: .85em; }
figure { margin: 1em 0; } figure img { max-width: 100%; height: auto; border: 1px solid #eef1f4; }
figcaption { color: #5b6673; font-size: .9em; }
"""


def page(title: str, body: str, lang: str = "en") -> str:
    """A complete HTML document around `body` (already HTML)."""
    return (f'<!DOCTYPE html>\n<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}\n"
            f"</body>\n</html>\n")


def esc(text: object) -> str:
    """Text for HTML: escaped, and without the control characters a page cannot hold."""
    clean = "".join(c for c in str(text) if c in "\n\t" or ord(c) >= 32)
    return escape(clean, quote=True)


def table(header: list[str], rows: list[list[str]], numeric: frozenset[int] = frozenset()
          ) -> str:
    """A table of escaped text; columns in `numeric` are right-aligned."""
    def cells(tag: str, values: list[str]) -> str:
        return "".join(f'<{tag}{" class=num" if i in numeric else ""}>{esc(v)}</{tag}>'
                       for i, v in enumerate(values))
    body = "".join(f"<tr>{cells('td', r)}</tr>\n" for r in rows)
    return f"<table>\n<thead><tr>{cells('th', header)}</tr></thead>\n<tbody>\n{body}</tbody>\n" \
           f"</table>\n"
