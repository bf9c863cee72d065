"""What a browser test checks on every page it opens: nothing wider than the screen, no English string
of our catalogue (or Django's admin) left untranslated, and no axe-core violation of WCAG A or AA;
and, on an English page, no label or header shown in lower case."""

import re
from functools import cache
from pathlib import Path

import polib
from axe_playwright_python.sync_playwright import Axe

ROOT = Path(__file__).resolve().parents[1]
WCAG_A_AND_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
PLACEHOLDER = re.compile(r"%(?:\([a-z_]+\))?[sd]|\{[a-z_]*\}")

# Every text node and every attribute people read or hear, trimmed; scripts and styles excluded.
READ_TEXTS = """() => {
    const texts = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        if (parent && !["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE"].includes(parent.tagName)) {
            texts.push(node.textContent.trim());
        }
    }
    for (const element of document.querySelectorAll("[placeholder], [title], [aria-label], [alt]")) {
        for (const name of ["placeholder", "title", "aria-label", "alt"]) {
            if (element.hasAttribute(name)) texts.push(element.getAttribute(name).trim());
        }
    }
    for (const button of document.querySelectorAll("input[type=submit], input[type=button]")) {
        texts.push(button.value.trim());
    }
    texts.push(document.title.trim());
    return texts.filter(text => /[A-Za-z]{2}/.test(text));
}"""

# Sideways overflow: of the whole page, or of an admin list inside its own scrolling box.
OVERFLOWS = """() => {
    const found = [];
    const root = document.documentElement;
    const wide = (box) => `${box.scrollWidth}px wide in ${box.clientWidth}px`;
    if (root.scrollWidth > root.clientWidth) found.push(`the page is ${wide(root)}`);
    for (const box of document.querySelectorAll("#changelist .results")) {
        if (box.scrollWidth > box.clientWidth) found.push(`the list is ${wide(box)}`);
    }
    return found;
}"""


# Labels and headers shown starting with a small letter (an English field name as it is).
LOWER_CASE_LABELS = """() => [...document.querySelectorAll("main :is(label, th, dt, legend, caption)")]
    .filter(element => element.offsetParent !== null)
    .map(element => [element.textContent.trim(), getComputedStyle(element, "::first-letter").textTransform])
    .filter(([text, transform]) => /^[a-z]/.test(text) && transform !== "uppercase")
    .map(([text]) => text)"""


def lower_case_labels(page) -> list[str]:
    return [f"label in lower case: {text!r}" for text in page.evaluate(LOWER_CASE_LABELS)]


def catalogues() -> list[Path]:
    import django

    admin = Path(django.__file__).parent / "contrib" / "admin" / "locale" / "zh_Hans" / "LC_MESSAGES"
    ours = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES"
    return [ours / "django.po", ours / "djangojs.po", admin / "django.po", admin / "djangojs.po"]


def placeholder_pattern(msgid: str) -> re.Pattern:
    """The msgid's words in order, whole words only, anything in place of its placeholders."""
    parts = []
    for part in PLACEHOLDER.split(msgid):
        part = part.strip()
        word = re.escape(part)
        if part[:1].isalnum():
            word = r"\b" + word
        if part[-1:].isalnum():
            word += r"\b"
        parts.append(word)
    return re.compile(r"\s*(.+?)\s*".join(parts))


@cache
def translated_msgids() -> tuple[frozenset[str], tuple[re.Pattern, ...]]:
    """The English strings that have a Chinese translation: plain ones, and patterns for those with
    placeholders (a text reading "Choose 单元 by selecting them…" matches "Choose %s by …")."""
    plain, patterns = set(), []
    for path in catalogues():
        for entry in polib.pofile(str(path)):
            translated = entry.msgstr or (entry.msgstr_plural or {}).get(0, "")
            if not translated or translated == entry.msgid or not re.search(r"[A-Za-z]{2}", entry.msgid):
                continue
            for msgid in filter(None, [entry.msgid, entry.msgid_plural]):
                if PLACEHOLDER.search(msgid):
                    if re.search(r"[A-Za-z]{3}", PLACEHOLDER.sub("", msgid)):  # not "%s to %s"
                        patterns.append(placeholder_pattern(msgid))
                else:
                    plain.add(msgid.strip())
    return frozenset(plain), tuple(patterns)


def untranslated(texts: list[str]) -> list[str]:
    plain, patterns = translated_msgids()
    found = []
    for text in texts:
        bare = text.rstrip(":：").strip()
        if bare in plain or any(pattern.fullmatch(text) for pattern in patterns):
            found.append(text)
    return sorted(set(found))


@cache
def axe() -> Axe:
    return Axe()


def accessibility_violations(page, exclude: tuple[str, ...] = ()) -> list[str]:
    context = {"exclude": [[selector] for selector in exclude]} if exclude else None
    results = axe().run(page, context=context, options={"runOnly": {"type": "tag", "values": WCAG_A_AND_AA}})
    problems = []
    for violation in results.response["violations"]:
        targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
        problems.append(f"axe {violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return problems


def page_problems(page, *, axe_exclude: tuple[str, ...] = ()) -> list[str]:
    """Everything wrong with the page as it is now, each as one line; ``axe_exclude`` names parts
    that every page repeats and one page has checked already (the admin's sidebar)."""
    problems = list(page.evaluate(OVERFLOWS))
    problems += [f"untranslated: {text!r}" for text in untranslated(page.evaluate(READ_TEXTS))]
    problems += accessibility_violations(page, exclude=axe_exclude)
    return problems
