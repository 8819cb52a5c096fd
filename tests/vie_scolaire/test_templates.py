"""vie_scolaire's templates sit beside the sub-domain that renders them (`<sub-domain>/templates/vie_scolaire/`),
the shared ones in `vie_scolaire/templates/vie_scolaire/`, and each is found under its one name."""

from __future__ import annotations

from pathlib import Path

from django.template.loader import get_template

import vie_scolaire

APP = Path(vie_scolaire.__file__).resolve().parent


def _name(file: Path) -> str:
    """`vie_scolaire/roll_call.html`: the path below the `templates` folder that holds the file."""
    folder = next(parent for parent in file.parents if parent.name == "templates")
    return file.relative_to(folder).as_posix()


def test_each_template_is_found_where_it_sits_under_one_name() -> None:
    files = sorted(APP.glob("**/templates/**/*.html"))
    names = [_name(file) for file in files]
    assert len(files) > 40
    # The same name in two folders: the first folder in the search order would hide the other.
    assert sorted(set(names)) == sorted(names)
    for name, file in zip(names, files, strict=True):
        assert Path(get_template(name).origin.name) == file, name
