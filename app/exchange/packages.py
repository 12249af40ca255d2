"""The file a field package or a return package is: a zip holding ``manifest.json``
and the files it lists, each with its sha256. Reading one checks, before anything
is used, that it is a package of the kind expected, whole and untouched, and from a
program whose schema this one knows.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
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


class PackageError(ValueError):
    """A package that cannot be used: the message says why, in Chinese."""


@dataclass(slots=True)
class Package:
    path: Path
    manifest: dict[str, Any]
    _zip: zipfile.ZipFile

    def read(self, name: str) -> bytes:
        return self._zip.read(name)

    def extract(self, name: str, target: Path) -> None:
        with self._zip.open(name) as src, target.open("wb") as out:
            while chunk := src.read(1 << 20):
                out.write(chunk)

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


def _manifest(zf: zipfile.ZipFile, path: Path, kind: str) -> dict[str, Any]:
    label = KIND_LABEL[kind]
    try:
        manifest = json.loads(zf.read(MANIFEST))
    except (KeyError, ValueError, zipfile.BadZipFile, OSError) as exc:
        raise PackageError(f"“{path.name}”不是ParkDesk{label}（没有可读的清单）") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMATS[kind]:
        other = {v: k for k, v in FORMATS.items()}.get(
            manifest.get("format") if isinstance(manifest, dict) else None
        )
        if other:
            raise PackageError(f"“{path.name}”是{KIND_LABEL[other]}，不是{label}")
        raise PackageError(f"“{path.name}”不是ParkDesk{label}")
    return manifest


def _check_files(zf: zipfile.ZipFile, path: Path, manifest: dict[str, Any]) -> None:
    files = manifest.get("files")
    infos = {i.filename: i for i in zf.infolist()}
    if not isinstance(files, dict) or sum(i.file_size for i in infos.values()) > MAX_UNPACKED:
        raise PackageError(f"“{path.name}”的内容异常，已拒绝")
    for name, digest in files.items():
        if name not in infos or name.startswith(("/", "\\")) or ".." in Path(name).parts:
            raise PackageError(f"“{path.name}”不完整：缺少{name}")
        hasher = hashlib.sha256()
        try:
            with zf.open(name) as f:
                while chunk := f.read(1 << 20):
                    hasher.update(chunk)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise PackageError(f"“{path.name}”已损坏：{name}无法读出") from exc
        if hasher.hexdigest() != digest:
            raise PackageError(f"“{path.name}”已被改动或损坏：{name}的校验值（sha256）不符")


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
