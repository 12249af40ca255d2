"""ParkDesk core: domain rules, database and services. Never imports Qt."""

__version__ = "0.1.0"
APP_NAME = "ParkDesk"
APP_TITLE = "园区两新党建工作台"
# the files ParkDesk writes for an instructor's laptop and back: the field package and
# the return package. Windows opens them with ParkDesk (installer); so does a drop.
FIELD_SUFFIX = ".pdfield"
RETURN_SUFFIX = ".pdreturn"
