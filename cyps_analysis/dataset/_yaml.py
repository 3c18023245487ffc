"""Reading ``settings.yaml``: plain YAML, strictly.

A key given twice is an error (YAML loaders keep the last silently), and so are
aliases (``*name``): settings have no use for them, and nested aliases can blow a
100-byte file up to megabytes. A date that does not exist (``2025-14-01``) stays
text, so that it is reported as a problem rather than raised.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from cyps_analysis.exceptions import Problem


class _Refused(yaml.YAMLError):
    def __init__(self, message: str, mark) -> None:
        super().__init__(message)
        self.message = message
        self.problem_mark = mark


class _SettingsLoader(yaml.SafeLoader):
    """A safe loader that refuses aliases and keys given twice."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _Refused(f"an alias (*{event.anchor}) is used", event.start_mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        seen: set = set()
        if isinstance(node, yaml.MappingNode):
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                if key in seen:
                    raise _Refused(f"the key {key!r} is given twice", key_node.start_mark)
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _timestamp_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> object:
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return loader.construct_scalar(node)


_SettingsLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


def read_settings_yaml(path: Path, text: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The settings in ``text`` (the contents of ``path``), or the problem with them."""
    try:
        data = yaml.load(text, Loader=_SettingsLoader) or {}
    except _Refused as err:
        line = err.problem_mark.line + 1 if err.problem_mark else None
        fix = (
            "Give each setting once"
            if "twice" in err.message
            else "Write the value out in full instead of '*' (aliases are not accepted)"
        )
        return None, [Problem(path.name, line, None, err.message, fix)]
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        return None, [
            Problem(
                path.name,
                None,
                None,
                f"the file is not valid YAML{where}",
                "Write one 'key: value' a line; check the indentation and colons",
            )
        ]
    if not isinstance(data, dict):
        return None, [
            Problem(
                path.name,
                None,
                None,
                "the file is not a list of settings",
                "Write one 'key: value' a line",
            )
        ]
    return data, []
