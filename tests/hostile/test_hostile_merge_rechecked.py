"""A return package is checked once, by its preview; applying the preview verifies the
file is the one checked (its sha256) instead of checking every record again. A file
replaced after its preview — even by another well-formed package — is refused, nothing
written: what is applied is always what was checked and shown."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from app.exchange.packages import PackageError
from app.services.field import package_check, package_merge
from tests.hostile.test_hostile_packages import Park, _dump, _edited, _return_package, park

__all__ = ["park"]  # the fixture, shared with the package tests


def _said_again(changes: list[dict[str, Any]]) -> None:
    visit = next(c for c in changes if c["entity"] == "visit" and c["data"]["content"] == "回访")
    visit["data"]["content"] = "回访（改过）"


def test_a_package_replaced_after_its_preview_is_refused_and_nothing_written(
    park: Park,
) -> None:
    path = _return_package(park)
    other = _edited(park, path, _said_again)  # well formed, its sums remade
    preview = package_merge.preview_merge(park.office, path)
    shutil.copyfile(other, path)
    before = _dump(park.office)
    with pytest.raises(PackageError, match="预览之后被改动"):
        package_merge.apply_merge(park.office, preview, everywhere=package_merge.THEIRS)
    assert _dump(park.office) == before


def test_a_package_gone_after_its_preview_is_refused(park: Park) -> None:
    path = _return_package(park)
    preview = package_merge.preview_merge(park.office, path)
    path.unlink()
    before = _dump(park.office)
    with pytest.raises(PackageError, match=path.name):
        package_merge.apply_merge(park.office, preview, everywhere=package_merge.THEIRS)
    assert _dump(park.office) == before


def test_the_records_are_checked_once_and_the_merge_still_refused_twice(
    park: Park, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[Path] = []
    real = package_check.checked_changes

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[-1])
        return real(*args, **kwargs)

    monkeypatch.setattr(package_check, "checked_changes", counted)
    path = _return_package(park)
    preview = package_merge.preview_merge(park.office, path)
    package_merge.apply_merge(park.office, preview, everywhere=package_merge.THEIRS)
    assert len(calls) == 1
    # the same preview applied again: merged meanwhile, refused by what the database holds
    before = _dump(park.office)
    with pytest.raises(PackageError, match="已导入过"):
        package_merge.apply_merge(park.office, preview, everywhere=package_merge.THEIRS)
    assert _dump(park.office) == before
