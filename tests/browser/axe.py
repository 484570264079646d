"""axe-core in the browser tests: ``axe_violations(page)`` runs every rule of the vendored axe-core
(tests/browser/vendor, so CI needs no npm) on the page as it is and returns what it found."""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).with_name("vendor") / "axe-4.14.1.min.js"


def axe_violations(page) -> list[dict]:
    """Each violation as ``{"id", "impact", "help", "targets"}``; an empty list when none."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated by the test driver, as the page's Content-Security-Policy refuses an inline
        # <script> (add_script_tag) and a script from elsewhere, rightly.
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate("() => window.axe.run(document, { resultTypes: ['violations'] })")
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "targets": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in result["violations"]
    ]
