"""URL converters."""

from schools.uai import UAI_PATTERN, normalize_uai


class UaiConverter:
    regex = UAI_PATTERN

    def to_python(self, value: str) -> str:
        return normalize_uai(value)

    def to_url(self, value: str) -> str:
        return value
