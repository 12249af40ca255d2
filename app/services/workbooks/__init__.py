"""Excel exchange: the registry import (preview, apply, undo) and the quarterly submission."""
