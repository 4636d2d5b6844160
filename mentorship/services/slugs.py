"""An organisation's address in the portal (/o/<slug>/) made from its Russian name."""

from __future__ import annotations

import re

from mentorship.models import Organization

# Latin letters for Russian ones, as in passports (ICAO Doc 9303), «ь» and «ъ» dropped.
_LATIN = {
    **dict(zip("абвгдезийклмнопрстуфыэ", "abvgdeziiklmnoprstufye", strict=True)),
    "ё": "e", "ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ь": "", "ю": "iu", "я": "ia",
}  # fmt: skip
MAX_LENGTH = 60


def transliterate(text: str) -> str:
    out = []
    for char in text.lower():
        latin = _LATIN.get(char)
        out.append(char if latin is None else latin)
    return "".join(out)


def unique_slug(name: str) -> str:
    """`mbou-sh-40` for «МБОУ «СШ №40»»; a number is added while the address is taken."""
    base = re.sub(r"[^a-z0-9]+", "-", transliterate(name)).strip("-")[:MAX_LENGTH].strip("-")
    base = base or "org"
    taken = set(Organization.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"
