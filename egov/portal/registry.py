"""How contexts contribute to the citizen portal without the kernel importing them.

A context registers, in its ``AppConfig.ready()``, a section for the citizen's home page: a
title and a function ``(subject_id) -> list[dict]`` built on its ``queries`` (read side only).
``subject_id`` is the citizen's pseudonymous id: ``keyed_hash(nik)``.
"""

from collections.abc import Callable
from dataclasses import dataclass

SectionProvider = Callable[[str], list[dict]]


@dataclass(frozen=True)
class CitizenSection:
    key: str
    title: str
    provider: SectionProvider
    template: str  # renders ``items`` (the provider's list)
    order: int = 100


_sections: dict[str, CitizenSection] = {}


def register_citizen_section(section: CitizenSection) -> None:
    _sections[section.key] = section


def citizen_sections() -> list[CitizenSection]:
    return sorted(_sections.values(), key=lambda s: (s.order, s.key))
