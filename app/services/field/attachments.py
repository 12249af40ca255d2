"""Files kept with a record (a cluster's half-year presentation; later, a visit's
photos): copied into the database's own folder under their content's hash, so the
same file kept twice is stored once and a record never points outside the folder
a backup or a move takes along."""

from __future__ import annotations

import shutil
from pathlib import Path

from app.db.database import Database
from app.exchange.importer import file_hash
from app.exchange.packages import Package, PackageError

MAX_BYTES = 200 * 1024 * 1024  # a scan or a slide deck, not a video archive


def folder(db: Database) -> Path:
    """attachments/ beside the database file."""
    return db.path.parent / "attachments"


def keep_file(db: Database, source: Path) -> str:
    """Copy ``source`` in (once per content) and return the name to store with the record."""
    size = source.stat().st_size
    if size > MAX_BYTES:
        raise ValueError(f"文件“{source.name}”有{size // 1024 // 1024}MB，超过200MB，不能保存")
    name = file_hash(source) + source.suffix.lower()
    target = folder(db) / name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.with_name(target.name + ".part")
        try:
            shutil.copyfile(source, part)
            part.replace(target)  # whole or not at all
        except BaseException:
            part.unlink(missing_ok=True)  # a full disk leaves no half file behind
            raise
    return name


def path_of(db: Database, name: str) -> Path:
    """The kept file a record names; LookupError in Chinese when it is gone."""
    if not name or Path(name).name != name:  # a bare name, never a path out of the folder
        raise LookupError("记录中没有保存文件")
    path = folder(db) / name
    if not path.exists():
        raise LookupError(f"保存的文件已不在数据目录中：{path}")
    return path


def keep_packed(into: Path, pkg: Package, stored: str) -> None:
    """A kept file a package carries (``attachments/<stored>``), into the folder ``into``
    under its name — only when its content's sha256 is that name, whole or not at all:
    a part is never left behind, not even by a full disk."""
    target = into / stored
    if target.exists():
        return  # kept by content: the same file
    member = f"attachments/{stored}"
    if pkg.size(member) > MAX_BYTES:
        raise PackageError(f"“{pkg.path.name}”中的附件{stored}超过200MB，已拒绝")
    into.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    try:
        pkg.extract(member, part)
        if file_hash(part) != stored.partition(".")[0]:
            raise PackageError(f"“{pkg.path.name}”中的附件{stored}与其校验值不符，已拒绝")
        part.replace(target)
    finally:
        part.unlink(missing_ok=True)
