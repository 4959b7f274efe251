"""Reading a Prometheus text page in the tests: one sample's value by name and labels."""
from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families


def samples(text: str) -> dict[tuple[str, tuple], float]:
    """`{(name, sorted labels): value}` of every sample of the page."""
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(text) for sample in family.samples}


def value(text: str, name: str, **labels: str) -> float:
    """The sample `name{labels}`, 0 when the page does not have it."""
    return samples(text).get((name, tuple(sorted(labels.items()))), 0.0)
