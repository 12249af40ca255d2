#!/bin/sh
# The Windows installer tried under Wine (Debian's wine64), as CI can run it:
#   sh packaging/windows/smoke_test.sh [build/windows/ParkDesk-<version>-setup.exe]
# A silent per-user install, the installed command line (--version, demo, stats --json,
# the quarterly export, a PDF report), then a silent uninstall that keeps the data.
# Output goes through pipes: Wine hands a console program an invalid handle for a file.
set -eu
SETUP=${1:-$(ls build/windows/ParkDesk-*-setup.exe | tail -n 1)}
WINEPREFIX=$(mktemp -d)
export WINEPREFIX WINEDEBUG=-all PATH="/usr/lib/wine:$PATH"
say() { printf '== %s\n' "$*"; }
run() { wine64 "$@" 2>&1 | cat; }

say "Wine prefix $WINEPREFIX"
wine64 wineboot -i 2>&1 | cat > /dev/null
say "silent install: $SETUP /S"
wine64 "$SETUP" /S 2>&1 | cat
LOCAL=$(wine64 cmd /c 'echo %LOCALAPPDATA%' 2>/dev/null | tr -d '\r')
APP="$LOCAL\\Programs\\ParkDesk\\ParkDesk.exe"
DB='C:\park\demo.sqlite3'
say "--version";  run "$APP" --version | grep -q "ParkDesk" && echo ok
say "demo";       run "$APP" --db "$DB" demo --size 100 | grep "演示园区"
say "stats";      run "$APP" --db "$DB" stats --json > "$WINEPREFIX/stats.json"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print('base', d['total']['base'])" "$WINEPREFIX/stats.json"
say "export";     run "$APP" --db "$DB" export 'C:\park\q.xlsx' | grep "已导出"
say "report";     run "$APP" --db "$DB" report registry 'C:\park\r.pdf' | grep "已保存"
test -s "$WINEPREFIX/drive_c/park/q.xlsx" && test -s "$WINEPREFIX/drive_c/park/r.pdf"
say "silent uninstall keeps the data"
run "$(dirname "$(wine64 winepath -u "$APP" 2>/dev/null)")/uninstall.exe" /S
sleep 5
test -s "$WINEPREFIX/drive_c/park/demo.sqlite3" && echo "data kept"
test ! -e "$(wine64 winepath -u "$APP" 2>/dev/null)" && echo "program removed"
say "all passed"
