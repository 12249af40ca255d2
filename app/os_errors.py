"""Operating-system errors said in Chinese, naming the user's file.

The window and the command line both say a failed read or write this way:
what happened (the folder does not exist, it is a folder, no permission or the
file is open in Excel/WPS, read-only, the disk is full) and which file, never
the internal ``x.xlsx.part`` a save writes first.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
from pathlib import Path

# bytes free below which a failed write is put down to a full disk
NEARLY_FULL = 256 * 1024


def is_read_only_place(folder: Path) -> bool:
    """Whether ``folder`` (or the nearest existing folder above it) cannot be written."""
    while not folder.exists() and folder.parent != folder:
        folder = folder.parent
    try:
        if hasattr(os, "statvfs") and os.statvfs(folder).f_flag & os.ST_RDONLY:
            return True
    except OSError:
        return False
    return not os.access(folder, os.W_OK)


def is_nearly_full(folder: Path) -> bool:
    while not folder.exists() and folder.parent != folder:
        folder = folder.parent
    try:
        return shutil.disk_usage(folder).free < NEARLY_FULL
    except OSError:
        return False


def reason(exc: OSError, path: Path | None = None) -> str:
    """Why the operation failed, in a few Chinese words."""
    code = exc.errno
    if isinstance(exc, FileNotFoundError) or code == errno.ENOENT:
        if path is not None and not path.parent.exists():
            return "文件夹不存在"
        return "文件不存在"
    if isinstance(exc, IsADirectoryError) or code == errno.EISDIR:
        return "这是一个文件夹，不是文件"
    if code == errno.EROFS:
        return "所在位置是只读的"
    if code == errno.ENOSPC or (code == errno.EDQUOT if hasattr(errno, "EDQUOT") else False):
        return "磁盘已满"
    if isinstance(exc, PermissionError) or code in (errno.EACCES, errno.EPERM):
        return "没有写入权限，或文件正被 Excel 或 WPS 打开"
    if code == errno.ENAMETOOLONG:
        return "文件名太长"
    if code == errno.ENOTDIR:
        return "路径中有一段不是文件夹"
    if path is not None and is_nearly_full(path.parent):
        return "磁盘已满"
    return f"系统错误 {code}" if code else "系统错误"


def describe(exc: OSError, path: Path | str | None = None, doing: str = "无法写入") -> str:
    """``doing`` the user's file, and why: ``无法写入“季度报送.xlsx”：磁盘已满（D:\\报送）``."""
    shown = _user_path(exc) if path is None or str(path) == "" else _shown(Path(path))
    why = reason(exc, shown)
    if shown is None:
        return f"{doing}文件：{why}"
    return f"{doing}“{shown.name}”：{why}（{shown.parent}）"


def _user_path(exc: OSError) -> Path | None:
    name = exc.filename
    if not name:
        return None
    return _shown(Path(os.fsdecode(name)))


def _shown(path: Path) -> Path:
    # a save writes NAME.part (or NAME.1.part…) first: the user knows the file as NAME
    return path.with_name(re.sub(r"(\.\d+)?\.part$", "", path.name))
