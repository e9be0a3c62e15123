"""The route vocabulary (HL7 v2 table 0162 names, with the spellings people write): text to a route code."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

_NOT_LETTERS = re.compile(r"[^a-z0-9]+")


def route_key(text: str) -> str:
    """How a spelling is matched: lower case, without spaces, dots or hyphens ("Sub-Q" -> "subq")."""
    return _NOT_LETTERS.sub("", text.lower())


@dataclass(frozen=True, slots=True)
class Route:
    code: str  # the HL7 table 0162 code where it has one
    name: str
    hl7: str


@dataclass(frozen=True)
class RouteTable:
    version: str
    routes: tuple[Route, ...]
    spellings: Mapping[str, str]  # route_key(spelling) -> code

    def find(self, text: str) -> Route | None:
        """The route a written route means, or None when it is not in the vocabulary."""
        code = self.spellings.get(route_key(text))
        return None if code is None else self.by_code(code)

    def by_code(self, code: str) -> Route | None:
        return next((r for r in self.routes if r.code == code), None)

    def names(self) -> str:
        return ", ".join(f"{r.code} ({r.name})" for r in self.routes)


class RouteDataError(ValueError):
    """resources/routes.toml is malformed."""


def parse_routes(doc: Mapping[str, Any], name: str = "routes.toml") -> RouteTable:
    routes: list[Route] = []
    spellings: dict[str, str] = {}
    for i, entry in enumerate(doc.get("route", [])):
        where = f"{name}, route #{i + 1}"
        try:
            route = Route(code=str(entry["code"]).strip().upper(), name=str(entry["name"]), hl7=str(entry["hl7"]))
            aliases = [str(a) for a in entry.get("aliases", [])]
        except (KeyError, TypeError) as exc:
            raise RouteDataError(f"{where}: code, name and hl7 are required ({exc})") from exc
        for spelling in (route.code, route.name, *aliases):
            key = route_key(spelling)
            if not key:
                raise RouteDataError(f"{where}: the spelling {spelling!r} has no letters")
            if spellings.get(key, route.code) != route.code:
                raise RouteDataError(f"{where}: {spelling!r} already means {spellings[key]}")
            spellings[key] = route.code
        routes.append(route)
    if not routes:
        raise RouteDataError(f"{name}: no routes")
    return RouteTable(version=str(doc.get("version", "")), routes=tuple(routes), spellings=spellings)
