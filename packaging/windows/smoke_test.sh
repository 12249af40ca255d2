#!/bin/sh
# The Windows installer tried under Wine (Debian's wine64), as CI can run it:
#   sh packaging/windows/smoke_test.sh [build/windows/ParkDesk-<version>-setup.exe]
# A silent per-user install, the installed command line (--version, demo, stats --json,
# the quarterly export, a PDF report), the window on a display with a screenshot, then
# a silent uninstall that keeps the data.
# Output goes through pipes: Wine hands a console program an invalid handle for a file.
# Needs Wine 9 or later for the window (Debian 13's wine: Qt 6.8 asks WinRT's UISettings,
# which Wine 8 lacks), a display (run it under xvfb-run) and ImageMagick (import) for it;
# packaging/windows/ci.sh gives it all that.
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
say "report with charts"; run "$APP" --db "$DB" report overview 'C:\park\o.pdf' | grep "已保存"

say "the window"
SHOT=${SHOT:-$WINEPREFIX/window.png}
(wine64 "$APP" --db "$DB" 2>&1 | cat > "$WINEPREFIX/window.log") &
colours() { import -window root "$SHOT" && convert "$SHOT" -format %k info:; }
waited=0  # until the window is drawn (a blank display has one colour)
while [ "$(colours)" -lt 200 ]; do
  waited=$((waited + 5)); [ $waited -le 180 ] || { echo "no window after 180 s"; exit 1; }
  sleep 5
done
sleep 20  # its pages filled and the overview's charts drawn (numpy, matplotlib)
echo "drawn after ${waited} s; screenshot $SHOT ($(colours) colours)"
if grep -E "Unimplemented function|Traceback" "$WINEPREFIX/window.log"; then exit 1; fi
ps ax | grep -q "[p]ython.exe" || { echo "the window closed by itself"; exit 1; }
wineserver -k; sleep 2
say "silent uninstall keeps the data"
run "$(dirname "$(wine64 winepath -u "$APP" 2>/dev/null)")/uninstall.exe" /S
sleep 5
test -s "$WINEPREFIX/drive_c/park/demo.sqlite3" && echo "data kept"
test ! -e "$(wine64 winepath -u "$APP" 2>/dev/null)" && echo "program removed"
say "all passed"
