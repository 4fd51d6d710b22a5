"""Filter facets with counts, as listings across the site show them (the site search, the
document library): one shape, so templates and tests read them the same way."""

from dataclasses import dataclass, field


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str
    label: str
    values: list[FacetValue] = field(default_factory=list)

    @property
    def selected(self) -> list[FacetValue]:
        return [value for value in self.values if value.selected]

    @property
    def any_selected(self) -> bool:
        return any(value.selected for value in self.values)
