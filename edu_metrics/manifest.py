"""Metadata that the texts do not state: a manifest file per folder, and hints in paths.

An archive often knows what a report is (`无锡/2023/plan.txt`) while the text says only
`市教育局`. A manifest sets or overrides region, year, kind, title and date per file; the
path supplies weaker hints that fill only what the text leaves open.
"""

import fnmatch
import tomllib
from pathlib import Path, PurePosixPath
from typing import Any

from . import kept
from .errors import EduMetricsError, read_small_text

MANIFEST_NAME = "edu-metrics.toml"
MAX_MANIFEST_BYTES = 2**20
KINDS = ("summary", "plan", "completion", "speech", "mixed")
_FIELDS: dict[str, type] = {"region": str, "year": int, "kind": str, "title": str, "date": str}
_DATE = kept.compiled(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_YEAR_PART = kept.compiled(r"(?:19|20)[0-9]{2}")
_PLACE_PART = kept.compiled(r"\p{Han}{2,8}")


class ManifestError(EduMetricsError):
    """A manifest is malformed; the message names the file and the key."""


class Manifest:
    """Defaults for a folder, and `[files."PATTERN"]` tables matched against relative paths."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.folder = path.parent
        try:
            data = tomllib.loads(read_small_text(path, MAX_MANIFEST_BYTES, "manifest", ManifestError))
        except tomllib.TOMLDecodeError as exc:
            raise ManifestError(f"{path}: invalid TOML: {exc}") from None
        files = data.pop("files", {})
        if not isinstance(files, dict):
            raise ManifestError(f"{path}: 'files' must be a table of path patterns")
        self.defaults = self._check(data, "")
        self.patterns = [(pattern, self._check(values, pattern)) for pattern, values in files.items()]

    def _check(self, values: Any, pattern: str) -> dict[str, Any]:
        where = f"{self.path}: files.\"{pattern}\"" if pattern else str(self.path)
        if not isinstance(values, dict):
            raise ManifestError(f"{where}: must be a table")
        for key, value in values.items():
            if key not in _FIELDS:
                raise ManifestError(f"{where}: unknown key '{key}' (allowed: {', '.join(_FIELDS)})")
            if not isinstance(value, _FIELDS[key]) or isinstance(value, bool):
                raise ManifestError(f"{where}: key '{key}' must be a {_FIELDS[key].__name__}")
        if "kind" in values and values["kind"] not in KINDS:
            raise ManifestError(f"{where}: key 'kind' must be one of {', '.join(KINDS)}")
        if "date" in values and not _DATE.fullmatch(values["date"]):
            raise ManifestError(f"{where}: key 'date' must be written YYYY-MM-DD")
        return dict(values)

    def metadata_for(self, file: Path) -> dict[str, Any]:
        """Defaults, then every matching pattern in file order (later ones win)."""
        relative = file.resolve().relative_to(self.folder.resolve()).as_posix()
        meta = dict(self.defaults)
        for pattern, values in self.patterns:
            if fnmatch.fnmatchcase(relative, pattern):
                meta.update(values)
        return meta


def find_manifests(folder: Path) -> list[Manifest]:
    """Manifests in a folder and below it, outermost first, so nearer ones override."""
    found = sorted(folder.rglob(MANIFEST_NAME), key=lambda p: (len(p.parts), p.as_posix()))
    return [Manifest(path) for path in found]


def manifests_above(file: Path) -> list[Manifest]:
    """A file given on its own takes the manifests of its folder and of the folders above it,
    up to the working folder (outermost first), as it would if a folder above it were named."""
    folder = file.resolve().parent
    top = Path.cwd().resolve()
    found = []
    while True:
        if (folder / MANIFEST_NAME).is_file():
            found.append(Manifest(folder / MANIFEST_NAME))
        if folder == top or folder.parent == folder or not folder.is_relative_to(top):
            break
        folder = folder.parent
    return found[::-1]


def metadata_for(file: Path, manifests: list[Manifest]) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    for manifest in manifests:
        if file.resolve().is_relative_to(manifest.folder.resolve()):
            meta.update(manifest.metadata_for(file.resolve()))
    return meta


def path_hints(relative: str) -> dict[str, Any]:
    """Year and place from folder names: `无锡/2023/report.txt` → 无锡, 2023."""
    hints: dict[str, Any] = {}
    for part in PurePosixPath(relative).parts[:-1]:
        if _YEAR_PART.fullmatch(part):
            hints["year"] = int(part)
        elif _PLACE_PART.fullmatch(part):
            hints["region"] = part
    return hints
