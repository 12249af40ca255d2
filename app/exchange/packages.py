"""The file a field package or a return package is: a zip holding ``manifest.json``
and the files it lists, each with its sha256. Reading one checks, before anything
is used, that it is a package of the kind expected, whole and untouched, and from a
program whose schema this one knows.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app import FIELD_SUFFIX, RETURN_SUFFIX
from app.exchange.importer import file_hash
from app.exchange.saving import saving

MANIFEST = "manifest.json"
FORMATS = {"field": "parkdesk-field-package", "return": "parkdesk-return-package"}
SUFFIX = {"field": FIELD_SUFFIX, "return": RETURN_SUFFIX}
KIND_LABEL = {"field": "外业包", "return": "回传包"}
MAX_UNPACKED = 4 * 1024**3  # the database and the photos of a few hundred units
MAX_FILES = 100_000
# a member unpacking to more than this many times its packed size is a zip bomb (a
# field database or a list of changes packs to a tenth or so; zeros pack a thousandfold)
MAX_RATIO = 200
RATIO_FROM = 1024**2  # small members may pack tighter: nothing to fear below this
MAX_CHANGES = 512 * 1024**2  # changes.json is read whole into memory
# what a damaged zip raises while it is read (a byte changed in a compressed member)
UNREADABLE = (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError)
# manifest values the programs read, and their types
_MANIFEST_TYPES: dict[str, type | tuple[type, ...]] = {
    "package_id": str,
    "field_package_id": str,
    "field_database": str,  # a return package's field database, and how far its log went
    "field_log": int,
    "park_id": str,
    "office_id": str,
    "park_name": str,
    "instructor": str,
    "device": str,
    "made_at": str,
    "schema": str,
    "units": int,
    "counts": dict,
}


class PackageError(ValueError):
    """A package that cannot be used: the message says why, in Chinese."""


@dataclass(slots=True)
class Package:
    path: Path
    manifest: dict[str, Any]
    _zip: zipfile.ZipFile

    def read(self, name: str) -> bytes:
        try:
            return self._zip.read(name)
        except UNREADABLE as exc:
            raise PackageError(f"“{self.path.name}”已损坏：{name}无法读出") from exc

    def size(self, name: str) -> int:
        """The unpacked size of ``name`` (checked against the limits when opened)."""
        return self._zip.getinfo(name).file_size

    def extract(self, name: str, target: Path) -> None:
        """``name`` written to ``target``; on any failure (a full disk, a damaged
        member) nothing is left at ``target``."""
        try:
            with self._zip.open(name) as src, target.open("wb") as out:
                while chunk := src.read(1 << 20):
                    out.write(chunk)
        except BaseException as exc:
            target.unlink(missing_ok=True)
            if isinstance(exc, UNREADABLE) and not isinstance(exc, OSError):
                raise PackageError(f"“{self.path.name}”已损坏：{name}无法读出") from exc
            raise

    def close(self) -> None:
        self._zip.close()


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_package(
    path: Path, kind: str, manifest: dict[str, Any], files: dict[str, bytes | Path]
) -> None:
    """Write the package through ``saving`` (the output guard; beside ``path`` first,
    moved into place when whole): a package cut short by a full disk or a pulled
    stick is never left under its name, nor its partial file."""
    sums = {
        name: file_hash(item) if isinstance(item, Path) else sha256_of(item)
        for name, item in files.items()
    }
    body = {"format": FORMATS[kind], **manifest, "files": sums}
    with saving(path) as partial, zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(MANIFEST, json.dumps(body, ensure_ascii=False, indent=1))
        for name, item in files.items():
            if isinstance(item, Path):
                zf.write(item, name)
            else:
                zf.writestr(name, item)


def open_package(path: Path, kind: str, schema_head: str) -> Package:
    """The package at ``path``, checked whole; PackageError saying what is wrong."""
    label = KIND_LABEL[kind]
    try:
        zf = zipfile.ZipFile(path)
    except FileNotFoundError as exc:
        raise PackageError(f"找不到文件：{path.name}") from exc
    except (zipfile.BadZipFile, OSError) as exc:
        raise PackageError(
            f"“{path.name}”不是ParkDesk{label}，或文件不完整（可能复制时被截断）"
        ) from exc
    try:
        manifest = _manifest(zf, path, kind)
        _check_files(zf, path, manifest)
        _check_schema(manifest, schema_head, path)
    except BaseException:
        zf.close()
        raise
    return Package(path, manifest, zf)


def reopen_package(path: Path, manifest: dict[str, Any]) -> Package:
    """A package already checked whole by ``open_package``, opened again for its files:
    the caller has verified the file's sha256 unchanged since."""
    try:
        return Package(path, manifest, zipfile.ZipFile(path))
    except (zipfile.BadZipFile, OSError) as exc:
        raise PackageError(f"“{path.name}”无法再次打开（可能已被移走或改动）") from exc


def _manifest(zf: zipfile.ZipFile, path: Path, kind: str) -> dict[str, Any]:
    label = KIND_LABEL[kind]
    try:
        info = zf.getinfo(MANIFEST)
        if info.file_size > RATIO_FROM:  # a manifest is a few lines
            raise ValueError(info.file_size)
        manifest = json.loads(zf.read(MANIFEST))
    except (KeyError, RecursionError, *UNREADABLE) as exc:
        raise PackageError(f"“{path.name}”不是ParkDesk{label}（没有可读的清单）") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMATS[kind]:
        other = {v: k for k, v in FORMATS.items()}.get(
            manifest.get("format") if isinstance(manifest, dict) else None
        )
        if other:
            raise PackageError(f"“{path.name}”是{KIND_LABEL[other]}，不是{label}")
        raise PackageError(f"“{path.name}”不是ParkDesk{label}")
    files = manifest.get("files")
    wrong = [k for k, t in _MANIFEST_TYPES.items() if k in manifest and not _is(manifest[k], t)]
    if wrong or not (isinstance(files, dict) and all(isinstance(v, str) for v in files.values())):
        raise PackageError(f"“{path.name}”的清单内容不对（{'、'.join(wrong) or 'files'}），已拒绝")
    return manifest


def _is(value: object, kind: type | tuple[type, ...]) -> bool:
    return isinstance(value, kind) and not (kind is int and isinstance(value, bool))


def _check_files(zf: zipfile.ZipFile, path: Path, manifest: dict[str, Any]) -> None:
    """Every listed file present, within the limits (sizes and packing ratio read from
    the zip's directory, before a byte is unpacked: a zip bomb is refused unopened),
    and with its sha256."""
    files = manifest["files"]
    infos = {i.filename: i for i in zf.infolist()}
    _check_sizes(path, infos)
    for name, digest in files.items():
        if name not in infos or name.startswith(("/", "\\")) or ".." in Path(name).parts:
            raise PackageError(f"“{path.name}”不完整：缺少{name}")
        hasher = hashlib.sha256()
        try:
            with zf.open(name) as f:
                while chunk := f.read(1 << 20):
                    hasher.update(chunk)
        except UNREADABLE as exc:
            raise PackageError(f"“{path.name}”已损坏：{name}无法读出") from exc
        if hasher.hexdigest() != digest:
            raise PackageError(f"“{path.name}”已被改动或损坏：{name}的校验值（sha256）不符")


def _check_sizes(path: Path, infos: dict[str, zipfile.ZipInfo]) -> None:
    total = sum(i.file_size for i in infos.values())
    if len(infos) > MAX_FILES or total > MAX_UNPACKED:
        raise PackageError(
            f"“{path.name}”解压后有{len(infos)}个文件、{total // 1024**2}MB，超出包的限度，已拒绝"
        )
    for info in infos.values():
        packed = max(info.compress_size, 1)
        bomb = info.file_size > RATIO_FROM and info.file_size > packed * MAX_RATIO
        if bomb or (info.filename == "changes.json" and info.file_size > MAX_CHANGES):
            raise PackageError(
                f"“{path.name}”中的{info.filename}解压后有{info.file_size // 1024**2}MB"
                f"（压缩时{packed // 1024}KB），不像ParkDesk写出的内容，已拒绝，未解压"
            )


def _check_schema(manifest: dict[str, Any], schema_head: str, path: Path) -> None:
    from app.db.migrate import revision_number

    schema = str(manifest.get("schema", ""))
    number = revision_number(schema)
    if number is None:
        raise PackageError(f"“{path.name}”的清单缺少数据库版本")
    if number > (revision_number(schema_head) or 0):
        raise PackageError(
            f"“{path.name}”由较新版本的ParkDesk制作（数据库版本{schema}，本程序{schema_head}），"
            "请先升级本程序"
        )
