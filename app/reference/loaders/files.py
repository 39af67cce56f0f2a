"""Streaming a public file line by line, with a progress bar and errors that say where."""
import csv
import datetime as dt
import gzip
import hashlib
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path

from tqdm import tqdm

PROGRESS_EVERY = 20_000


class LoadError(Exception):
    """A file that cannot be loaded; names the file, line and column."""

    def __init__(self, path: Path | str, line: int | None, column: str | None, message: str):
        where = Path(path).name
        if line is not None:
            where += f", line {line}"
        if column:
            where += f", column {column}"
        super().__init__(f"{where}: {message}")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def decode(raw: bytes, first_line: bool = False) -> str:
    # CMS files are mostly ASCII; older ones carry Windows-1252 punctuation. Only a first line can
    # start with a byte-order mark.
    try:
        return raw.decode("utf-8-sig" if first_line else "utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def numbered_lines(path: Path, label: str) -> Iterator[tuple[int, str]]:
    """Yield (line number, text) without reading the whole file, showing progress by bytes read.

    A name ending in .gz is decompressed on the fly (the shipped full files are gzipped)."""
    with path.open("rb") as stored, tqdm(
        total=path.stat().st_size, unit="B", unit_scale=True, desc=label, disable=None, leave=False
    ) as bar:
        handle = gzip.GzipFile(fileobj=stored, mode="rb") if path.suffix == ".gz" else stored
        done = 0
        try:
            for number, raw in enumerate(handle, start=1):
                if number % PROGRESS_EVERY == 0:
                    bar.update(stored.tell() - done)
                    done = stored.tell()
                yield number, decode(raw, first_line=number == 1).rstrip("\r\n")
        except (OSError, EOFError) as error:  # a truncated or corrupt .gz
            raise LoadError(path, None, None, f"cannot read the file: {error}") from None
        finally:
            if handle is not stored:
                handle.close()
        bar.update(stored.tell() - done)


def tab_separated_rows(path: Path, label: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number, cells) of a tab-delimited file whose cells never quote (the NCCI PTP files):
    a plain split, several times cheaper than the csv module over millions of lines."""
    for number, text in numbered_lines(path, label):
        yield number, text.split("\t")


def csv_rows(path: Path, label: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number, cells); a quoted cell may span lines, as the MUE file's first one does."""
    reader = csv.reader(text + "\n" for _, text in numbered_lines(path, label))
    try:
        for cells in reader:
            yield reader.line_num, cells
    except csv.Error as error:
        raise LoadError(path, reader.line_num, None, f"malformed CSV: {error}") from None


def parse_decimal(value: str, path: Path, line: int, column: str) -> Decimal:
    try:
        return Decimal(value.strip() or "0")
    except InvalidOperation:
        raise LoadError(path, line, column, f"expected a number, found {value[:20]!r}") from None


def parse_date(value: str, path: Path, line: int, column: str, formats: tuple[str, ...]) -> dt.date | None:
    """A date in one of ``formats``; blank or '*' (CMS's "no date") is None."""
    value = value.strip()
    if value in {"", "*"}:
        return None
    for date_format in formats:
        try:
            return dt.datetime.strptime(value, date_format).date()
        except ValueError:
            continue
    raise LoadError(path, line, column, f"expected a date, found {value[:20]!r}")
