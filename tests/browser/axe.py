"""axe-core run on pages of the live site, and its findings in words."""

import json

from tests.browser.conftest import AXE

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def axe_violations(page, paths, site) -> list[str]:
    """One paragraph per page with violations; empty when axe finds none."""
    axe = AXE.read_text(encoding="utf-8")
    report = []
    for path in paths:
        page.goto(site + path)
        # page.evaluate goes through the DevTools protocol, which the page's CSP
        # (no inline script) does not govern: no need for bypass_csp.
        page.evaluate(axe)
        results = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
        )
        assert results["passes"], f"axe checked nothing on {path}"
        if results["violations"]:
            report.append(describe(path, results["violations"]))
    return report


def describe(path: str, violations: list[dict]) -> str:
    lines = [f"{path}: {len(violations)} axe violation(s)"]
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"][:5]:
            lines.append(f"  - {json.dumps(node['target'])}: {node['failureSummary']}")
            lines.append(f"    {node['html'][:200]}")
    return "\n".join(lines)
