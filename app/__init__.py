"""ParkDesk core: domain rules, database and services. Never imports Qt."""

__version__ = "0.1.0"
APP_NAME = "ParkDesk"
APP_TITLE = "园区两新党建工作台"
