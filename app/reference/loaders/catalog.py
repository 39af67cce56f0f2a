"""Our code catalog: YAML files in data/catalog/, each a list of entries in our own words."""
import hashlib
from pathlib import Path

import sqlalchemy as sa
import yaml

from app.enums import CatalogCategory
from app.extensions import db
from app.reference.code_index import rebuild_code_index
from app.reference.loaders.files import LoadError, sha256_of
from app.reference.loaders.store import record_file
from app.reference.models import CatalogCode

TEXT_FIELDS = ("code", "code_system", "category", "title", "summary", "description")
LIST_FIELDS = ("indications", "procedure_steps", "coding_guidelines", "billing_tips",
               "common_denials", "related_codes", "keywords")
IMPACT_KINDS = {"compare_code", "setting", "modifier"}


def check_entry(entry: object, path: Path, position: int) -> dict:
    where = f"entry {position}"
    if not isinstance(entry, dict):
        raise LoadError(path, None, where, "each entry must be a mapping")
    for field in TEXT_FIELDS:
        if not isinstance(entry.get(field), str) or not entry[field].strip():
            raise LoadError(path, None, f"{where} {field}", "required text")
    if entry["category"] not in set(CatalogCategory):
        raise LoadError(path, None, f"{where} category", "must be one of " + ", ".join(c.value for c in CatalogCategory))
    for field in LIST_FIELDS:
        if not isinstance(entry.get(field, []), list):
            raise LoadError(path, None, f"{entry['code']} {field}", "must be a list")
    for tip in entry.get("billing_tips", []):
        impact = tip.get("impact") if isinstance(tip, dict) else None
        if not isinstance(tip, dict) or not isinstance(tip.get("tip"), str):
            raise LoadError(path, None, f"{entry['code']} billing_tips", "each tip needs a 'tip' text")
        if impact is not None and impact.get("kind") not in IMPACT_KINDS:
            raise LoadError(path, None, f"{entry['code']} billing_tips", f"impact kind must be one of {sorted(IMPACT_KINDS)}")
    return entry


def load_catalog(directory: Path) -> int:
    files = sorted(directory.glob("*.yaml")) if directory.is_dir() else [directory]
    entries: dict[str, dict] = {}
    for path in files:
        try:
            document = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            raise LoadError(path, mark.line + 1 if mark else None, None, "invalid YAML") from None
        if not isinstance(document, list):
            raise LoadError(path, 1, None, "the file must be a list of entries")
        for position, entry in enumerate(document, start=1):
            entry = check_entry(entry, path, position)
            if entry["code"] in entries:
                raise LoadError(path, None, f"entry {position}", f"{entry['code']} appears twice in the catalog")
            entries[entry["code"]] = entry
    unknown = {ref for entry in entries.values() for ref in entry.get("related_codes", []) if ref not in entries}
    if unknown:
        raise LoadError(directory, None, "related_codes", f"codes not in the catalog: {sorted(unknown)}")

    digest = hashlib.sha256(b"".join(sha256_of(path).encode() for path in files)).hexdigest()
    source = record_file("catalog", directory, "Denial Radar catalog", None, None, sha256=digest)
    db.session.execute(sa.delete(CatalogCode))
    for entry in entries.values():
        db.session.add(CatalogCode(
            **{field: entry[field].strip() for field in TEXT_FIELDS},
            **{field: entry.get(field, []) for field in LIST_FIELDS},
            search_text=" ".join([entry["code"], entry["title"], entry["summary"], *entry.get("keywords", [])]).lower(),
            source_file_id=source.id,
        ))
    source.row_count = len(entries)
    rebuild_code_index()
    return len(entries)
