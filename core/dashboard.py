"""Panels on the admin index: each app registers a function that builds its panel for a request.

A panel function returns None when it has nothing to show to this user, or a ``Panel``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import HttpRequest


@dataclass
class Panel:
    title: str
    template: str
    context: dict = field(default_factory=dict)


PanelBuilder = Callable[[HttpRequest], Panel | None]
_builders: list[PanelBuilder] = []


def register(builder: PanelBuilder) -> PanelBuilder:
    _builders.append(builder)
    return builder


def panels_for(request: HttpRequest) -> list[Panel]:
    return [panel for builder in _builders if (panel := builder(request)) is not None]
