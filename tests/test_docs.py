"""Docs are tested: every CLI command is in the README, and docstring examples run."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re
from pathlib import Path

import pytest
import typer

import netweave
from netweave.cli import app

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def _command_paths() -> list[str]:
    root = typer.main.get_command(app)
    paths: list[str] = []

    def walk(cmd: object, prefix: list[str]) -> None:
        subs = getattr(cmd, "commands", None)
        if subs:
            for name, sub in subs.items():
                walk(sub, [*prefix, name])
        else:
            paths.append(" ".join(prefix))

    walk(root, [])
    return sorted(paths)


@pytest.mark.parametrize("command", _command_paths())
def test_every_command_is_documented_in_the_readme(command: str) -> None:
    assert re.search(rf"netweave (\[[^\]]*\] )*{re.escape(command)}\b", README), (
        f"`netweave {command}` is not documented in README.md"
    )


def _modules() -> list[str]:
    return sorted(
        m.name
        for m in pkgutil.walk_packages(netweave.__path__, "netweave.")
        if ".migrations" not in m.name and not m.name.endswith("__main__")
    )


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
