"""Excel exchange: the registry import (preview, apply, undo), the quarterly submission
and the yearly workbook (年度报表)."""
