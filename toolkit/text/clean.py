"""Article text from what users paste or save: HTML main-text extraction and page-furniture removal.

News pages copied by hand carry lines that are not the article: comment boxes, captcha, share and
follow prompts, "News Code 191224" footers, "You are replying to". They are removed line by line
(English, Persian and Albanian wording), and everything after a comment-section heading is cut.
HTML is reduced to its main text with trafilatura first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import InputError

_BULLET = re.compile(r"^[\s•·*\-–—|>]+")
_BLANKS = re.compile(r"\n\s*\n(\s*\n)+")

# A line that IS one of these (after bullets and trailing punctuation are stripped) is furniture.
_FURNITURE = re.compile(
    r"""^(?:
        news\s*code\s*:?\s*\d+ | news\s*id\s*:?\s*\d+ | captcha.* | .{0,20}\bcaptcha
      | share(?:\s+(?:this|on\s+\w+|article|story))? | tweet | print | e-?mail | whatsapp
      | facebook | twitter | telegram | linkedin | instagram | copy\s+link | link\s+copied
      | follow\s+us.* | follow\s+\S+(?:\s+\S+)?\s+on\s+(?:x|twitter|facebook|telegram|instagram).*
      | subscribe(?:\s+to\s+.{0,40})? | sign\s+up\s+for\s+.{0,40}newsletter.* | advertisement
      | related\s+(?:news|articles|stories|posts) | read\s+more | see\s+also | most\s+(?:viewed|read|popular)
      | tags?\s*:.* | keywords?\s*:.* | all\s+rights\s+reserved.* | copyright\s*©.* | ©.{0,80}
      | کد\s*خبر\s*:?\s*[\d۰-۹]+ | اشتراک\s*گذاری | اشتراک‌گذاری | برچسب‌ها\s*:?.* | کلیدواژه‌ها\s*:?.*
      | خبرهای\s*مرتبط | کپی\s*شد | لینک\s*کوتاه.* | ما\s*را\s*دنبال\s*کنید.*
      | shpërndaje | shpërnda | na\s+ndiqni.* | lajme\s+të\s+ngjashme | të\s+ngjashme | lexo\s+më\s+shumë
      | etiketa\s*:.*
    )$""",
    re.IGNORECASE | re.VERBOSE,
)

# A line that opens the comment section: it and everything after it are not the article.
_COMMENTS = re.compile(
    r"""^(?:
        your\s+comment | you\s+are\s+replying\s+to\b.* | leave\s+a\s+(?:comment|reply).*
      | (?:post|add|write)\s+a\s+comment.* | comments?(?:\s*\(\d+\))? | \d+\s+comments?
      | reply\s+to\s+comment.*
      | نظر\s*شما | ارسال\s*نظر | دیدگاه\s*شما | شما\s*در\s*حال\s*پاسخ\s*به.* | نظرات
      | lini\s+një\s+koment.* | komento | komentet | shkruani\s+një\s+koment.*
    )$""",
    re.IGNORECASE | re.VERBOSE,
)


@dataclass(frozen=True)
class CleanText:
    """The article text and the lines removed from it, in order."""

    text: str
    removed: tuple[str, ...]


def _key(line: str) -> str:
    """A line as matched: bullets and surrounding punctuation removed, spaces collapsed."""
    stripped = _BULLET.sub("", line).strip().strip(".:·|").strip()
    return " ".join(stripped.split())


def remove_furniture(text: str) -> CleanText:
    """Drop page-furniture lines and anything after a comment-section heading."""
    kept: list[str] = []
    removed: list[str] = []
    lines = text.splitlines()
    for index, line in enumerate(lines):
        key = _key(line)
        if key and _COMMENTS.match(key) and any(k.strip() for k in kept):
            removed.extend(l.strip() for l in lines[index:] if l.strip())
            break
        if key and (_FURNITURE.match(key) or _COMMENTS.match(key)):
            removed.append(line.strip())
            continue
        kept.append(line.rstrip())
    cleaned = _BLANKS.sub("\n\n", "\n".join(kept)).strip()
    return CleanText(cleaned, tuple(removed))


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:500].lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in head)


def html_to_text(html: str) -> str:
    """The main text of an HTML page (trafilatura), without navigation, comments or tables.

    Each block (heading, paragraph, list item), one line in trafilatura's output, becomes its own
    paragraph, so a headline stays apart from the first sentence instead of being read as its start."""
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
    if not text or not text.strip():
        raise InputError("no article text found in the HTML page", "save the article page itself, or paste its text")
    return "\n\n".join(line.strip() for line in text.splitlines() if line.strip())


_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")
_MD_LINE = re.compile(r"^[ \t]*(?:#{1,6}|>+|[-*+]|\d{1,3}[.)])[ \t]+", re.MULTILINE)


def markdown_to_text(text: str) -> str:
    """Markdown's words: code blocks (fenced and indented) left out, a paragraph break in their place;
    markers removed (headings, lists, quotes, emphasis, inline code's backticks, links, images)."""
    from toolkit.text.segment import markdown_code_lines

    lines = text.splitlines(keepends=True)
    text = "".join("\n" if code else line for line, code in zip(lines, markdown_code_lines(lines)))
    text = _BLANKS.sub("\n\n", text)
    text = _MD_IMAGE.sub("", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_EMPHASIS.sub(r"\2", text)
    return _MD_LINE.sub("", text)


def article_text(raw: str, path: str | Path | None = None) -> CleanText:
    """The article in ``raw`` (text, or a web page's HTML), cleaned; an InputError if nothing is left.
    ``path`` names it in messages (a document file is read as text first: ``toolkit.formats.reading``)."""
    if looks_like_html(raw):
        raw = html_to_text(raw)
    where = f" in {path}" if path else ""
    if not raw.strip():
        raise InputError(f"the article{where} is empty", "pass a file or text with the article in it")
    cleaned = remove_furniture(raw)
    if not cleaned.text:
        raise InputError(
            f"the article{where} has no text left after removing page furniture (comment boxes, share prompts, footers)",
            "pass the article text itself",
        )
    return cleaned
