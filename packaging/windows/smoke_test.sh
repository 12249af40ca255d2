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
# a failed check stops the test (set -e lets a command before && fail quietly)
check() { what=$1; shift; if "$@"; then echo "ok: $what"; else echo "FAILED: $what"; exit 1; fi; }
run() { wine64 "$@" 2>&1 | cat; }
data() { wine64 "$@" 2>/dev/null | cat; }  # stdout only: JSON without Wine's own messages

say "Wine prefix $WINEPREFIX"
wine64 wineboot -i 2>&1 | cat > /dev/null
say "silent install: $SETUP /S"
wine64 "$SETUP" /S 2>&1 | cat
LOCAL=$(wine64 cmd /c 'echo %LOCALAPPDATA%' 2>/dev/null | tr -d '\r')
APP="$LOCAL\\Programs\\ParkDesk\\ParkDesk.exe"
ROAMING=$(wine64 cmd /c 'echo %APPDATA%' 2>/dev/null | tr -d '\r')
LINK=$(wine64 winepath -u "$ROAMING\\Microsoft\\Windows\\Start Menu\\Programs" 2>/dev/null)/"ParkDesk 园区两新党建工作台.lnk"
KEY='HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\ParkDesk'
say "Start-menu entry and 应用 entry"
check "shortcut $(basename "$LINK")" test -s "$LINK"
wine64 reg query "$KEY" /v DisplayName 2>/dev/null | grep -q "ParkDesk"  # 设置 → 应用
echo "ok: uninstall entry $KEY"
DB='C:\park\demo.sqlite3'
say "--version";  run "$APP" --version | grep "ParkDesk"
say "demo";       run "$APP" --db "$DB" demo --size 100 | grep "演示园区"
say "stats";      data "$APP" --db "$DB" stats --json > "$WINEPREFIX/stats.json"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print('base', d['total']['base'])" "$WINEPREFIX/stats.json"
say "export";     run "$APP" --db "$DB" export 'C:\park\q.xlsx' | grep "已导出"
say "report";     run "$APP" --db "$DB" report registry 'C:\park\r.pdf' | grep "已保存"
check "the workbook and the PDF written" test -s "$WINEPREFIX/drive_c/park/q.xlsx" -a -s "$WINEPREFIX/drive_c/park/r.pdf"
say "report with charts"; run "$APP" --db "$DB" report overview 'C:\park\o.pdf' | grep "已保存"
say "field package out and opened (the instructor's laptop)"
data "$APP" --db "$DB" orgs list --json > "$WINEPREFIX/orgs.json"
USCC=$(python3 -c "import json,sys; print([o['uscc'] for o in json.load(open(sys.argv[1])) if o['uscc']][0])" "$WINEPREFIX/orgs.json")
run "$APP" --db "$DB" field export 'C:\park\p.pdfield' --org "$USCC"
run "$APP" --db 'C:\park\field.sqlite3' field open 'C:\park\p.pdfield'
check "field database opened" test -s "$WINEPREFIX/drive_c/park/field.sqlite3"
data "$APP" --db 'C:\park\field.sqlite3' problems list --json > "$WINEPREFIX/problems.json"
PROBLEM=$(python3 -c "import json,sys; print(next((p['uuid'] for p in json.load(open(sys.argv[1])) if p['status'] in ('待整改', '整改中')), ''))" "$WINEPREFIX/problems.json")
if [ -n "$PROBLEM" ]; then  # a rectification done in the field, for the office to merge
  run "$APP" --db 'C:\park\field.sqlite3' problems set "$PROBLEM" --status 已整改
fi
run "$APP" --db 'C:\park\field.sqlite3' field return 'C:\park\back.pdreturn'
check "return package made" test -s "$WINEPREFIX/drive_c/park/back.pdreturn"
say "packages open with ParkDesk from Explorer"
for type in FieldPackage ReturnPackage; do
  command=$(wine64 reg query "HKCU\\Software\\Classes\\ParkDesk.$type\\shell\\open\\command" 2>/dev/null || true)
  check "ParkDesk.$type opens with ParkDesk" test -n "$(printf '%s' "$command" | grep 'main.py" "%1"')"
done

say "the window"
SHOT=${SHOT:-$WINEPREFIX/window.png}
(wine64 "$APP" --db "$DB" 2>&1 | cat > "$WINEPREFIX/window.log") &
colours() {  # how many colours the display shows (0 when it cannot be read)
  if import -window root "$SHOT" 2>/dev/null; then convert "$SHOT" -format %k info:; else echo 0; fi
}
waited=0  # until the window is drawn (a blank display has one colour)
while [ "$(colours)" -lt 200 ]; do
  waited=$((waited + 5)); [ $waited -le 180 ] || { echo "no window after 180 s"; exit 1; }
  sleep 5
done
sleep 20  # its pages filled and the overview's charts drawn (numpy, matplotlib)
echo "drawn after ${waited} s; screenshot $SHOT ($(colours) colours)"
if grep -E "Unimplemented function|Traceback" "$WINEPREFIX/window.log"; then exit 1; fi
ps ax | grep -q "[p]ython.exe" || { echo "the window closed by itself"; exit 1; }
say "a return package double-clicked while the window is open goes to that window"
began=$(date +%s)  # it hands the package over and ends; a second window would not end
timeout 60 wine64 "$APP" --db "$DB" 'C:\park\back.pdreturn' 2>&1 | cat
check "handed over to the open window" test $(($(date +%s) - began)) -lt 60
sleep 15
MERGE_SHOT="$(dirname "$SHOT")/window-merge.png"
import -window root "$MERGE_SHOT"
echo "screenshot $MERGE_SHOT (the merge dialog over the window)"
if grep -E "Unimplemented function|Traceback" "$WINEPREFIX/window.log"; then exit 1; fi
wineserver -k; sleep 2
say "silent uninstall keeps the data"
run "$(dirname "$(wine64 winepath -u "$APP" 2>/dev/null)")/uninstall.exe" /S
sleep 5
check "data kept" test -s "$WINEPREFIX/drive_c/park/demo.sqlite3"
check "program removed" test ! -e "$(wine64 winepath -u "$APP" 2>/dev/null)"
check "shortcut removed" test ! -e "$LINK"
if wine64 reg query "$KEY" > /dev/null 2>&1; then echo "uninstall entry left"; exit 1; fi
if wine64 reg query 'HKCU\Software\Classes\.pdfield' > /dev/null 2>&1; then echo "file type left"; exit 1; fi
echo "ok: entries removed"
say "all passed"
