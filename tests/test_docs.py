"""Documentation is tested: every setting and every command is in the README."""

import re

from django.core.management import get_commands

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
SETTING_READ = re.compile(r"env_(?:str|bool|int|list)\(\s*\"([A-Z_]+)\"")


def environment_variables() -> set[str]:
    names = set()
    for path in (ROOT / "src" / "sommaire").rglob("*.py"):
        names.update(SETTING_READ.findall(path.read_text(encoding="utf-8")))
    return names


def test_every_environment_variable_is_documented():
    names = environment_variables()

    assert {"DATABASE_URL", "SECRET_KEY", "SOMMAIRE_DEBUG"} <= names
    missing = sorted(name for name in names if f"`{name}`" not in README)
    assert not missing, f"document these variables in README.md: {missing}"


def test_every_sommaire_command_is_documented():
    ours = sorted(name for name, app in get_commands().items() if app.startswith("sommaire."))

    assert "load-pack" in ours
    missing = [name for name in ours if f"`sommaire {name}" not in README]
    assert not missing, f"document these commands in README.md: {missing}"
