#!/bin/sh
# The Windows installer tried under Wine (Debian's wine64), as CI can run it:
#   sh packaging/windows/smoke_test.sh [build/windows/ParkDesk-<version>-setup.exe]
# A silent per-user install, the installed command line (--version, demo, stats --json,
# the quarterly export, PDF reports, a field package out and a return package back), the
# window on a display with a screenshot, a return package double-clicked while it is
# open (handed to it, merged), then a silent uninstall that keeps the data.
# Each check fails when its thing is broken: every program's exit code is checked and
# its exact words looked for (Wine's own error names the program too); the window is
# found by its title, with no other window (an error box) beside it, and its page names
# drawn; the hand-over must show the merge dialog and the merge reach the database; the
# data kept is the program's own data folder (%LOCALAPPDATA%\ParkDesk), byte for byte.
# Output goes through pipes: Wine hands a console program an invalid handle for a file.
# Needs Wine 9 or later for the window (Debian 13's wine: Qt 6.8 asks WinRT's UISettings,
# which Wine 8 lacks), a display (run it under xvfb-run), ImageMagick (import, convert)
# and xdotool; packaging/windows/ci.sh gives it all that.
set -eu
SOURCE=$(cd "$(dirname "$0")/../.." && pwd)
SETUP=${1:-$(ls build/windows/ParkDesk-*-setup.exe | tail -n 1)}
VERSION=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' "$SOURCE/app/__init__.py")
TITLE=$(sed -n 's/^APP_TITLE = "\(.*\)"$/\1/p' "$SOURCE/app/__init__.py")
WINEPREFIX=$(mktemp -d)
export WINEPREFIX WINEDEBUG=-all PATH="/usr/lib/wine:$PATH"
OUT=$WINEPREFIX/out.txt ERR=$WINEPREFIX/err.txt
trap 'wineserver -k > /dev/null 2>&1 || true' EXIT  # a failed test leaves no window running
# --- the checks (tests/test_packaging.py runs these with a stand-in wine64) ---
# printf, not echo: dash's echo reads the \r in C:\users\root as a carriage return
say() { printf '== %s\n' "$*"; }
ok() { printf 'ok: %s\n' "$*"; }
fail() { printf 'FAILED: %s\n' "$*"; exit 1; }
# a failed check stops the test (set -e lets a command before && fail quietly)
check() { what=$1; shift; if "$@"; then ok "$what"; else fail "$what"; fi; }
# run PROGRAM ARGS: its stdout in $OUT, its stderr in $ERR, and it must end with exit
# code 0 within $LIMIT seconds (a message box left waiting is a failure too)
# (its code is written by `&& ||`: set -e would end the group before a plain `echo $?`)
run() {
  rm -f "$WINEPREFIX/rc"
  { { timeout "${LIMIT:-600}" wine64 "$@" 2>&3 && echo 0 > "$WINEPREFIX/rc" || echo $? > "$WINEPREFIX/rc"; } |
    cat > "$OUT"; } 3>&1 | cat > "$ERR"
  code=$(cat "$WINEPREFIX/rc" 2>/dev/null || echo none)
  [ "$code" = 0 ] || { cat "$OUT" "$ERR"; fail "exit code $code: $*"; }
}
# said TEXT: the program's output (stdout) holds TEXT exactly
said() { grep -qF -- "$1" "$OUT" || { cat "$OUT" "$ERR"; fail "the program did not say: $1"; }; }
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1], encoding='utf-8')); $1" "$OUT"; }
# --- end of the checks ---

say "Wine prefix $WINEPREFIX"
mkdir -p "$WINEPREFIX/drive_c/park"  # C:\park: the packages, the workbook and reports written
wine64 wineboot -i 2>&1 | cat > /dev/null
say "silent install: $SETUP /S"
run "$SETUP" /S
wineserver -w  # the installer's own processes
LOCAL=$(wine64 cmd /c 'echo %LOCALAPPDATA%' 2>/dev/null | tr -d '\r')
INSTDIR="$LOCAL\\Programs\\ParkDesk"
APP="$INSTDIR\\ParkDesk.exe"
PROGRAM=$(wine64 winepath -u "$INSTDIR" 2>/dev/null)
DATA=$(wine64 winepath -u "$LOCAL\\ParkDesk" 2>/dev/null)  # where ParkDesk keeps the data
check "ParkDesk.exe installed in $INSTDIR" test -s "$PROGRAM/ParkDesk.exe"
ROAMING=$(wine64 cmd /c 'echo %APPDATA%' 2>/dev/null | tr -d '\r')
LINK=$(wine64 winepath -u "$ROAMING\\Microsoft\\Windows\\Start Menu\\Programs" 2>/dev/null)/"ParkDesk 园区两新党建工作台.lnk"
KEY='HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\ParkDesk'
say "Start-menu entry and 应用 entry"
check "shortcut $(basename "$LINK")" test -s "$LINK"
run reg query "$KEY" /v UninstallString  # 设置 → 应用
said "\"$INSTDIR\\uninstall.exe\""
ok "uninstall entry $KEY"

say "--version"
run "$APP" --version
check "--version says ParkDesk $VERSION" test "$(tr -d '\r' < "$OUT")" = "ParkDesk $VERSION"
say "demo (the database the window opens: none named)"
run "$APP" demo --size 100
said "已生成演示园区：100个组织"
check "the database in the data folder $DATA" test -s "$DATA/parkdesk.sqlite3"
run "$APP" orgs list --json
json "assert len(d) == 100, len(d)"
ok "orgs list --json: 100 units"
say "stats"
run "$APP" stats --json
json "assert d['total']['base'] > 0, d['total']; print('base', d['total']['base'])"
say "export"
run "$APP" export 'C:\park\q.xlsx'
said "100个组织"
said 'C:\park\q.xlsx'
python3 -c "import sys, zipfile; assert 'xl/workbook.xml' in zipfile.ZipFile(sys.argv[1]).namelist()" \
  "$WINEPREFIX/drive_c/park/q.xlsx"
ok "the workbook is a workbook"
pdf() { python3 -c "import sys; b=open(sys.argv[1],'rb').read(); assert b[:5]==b'%PDF-' and b'%%EOF' in b[-64:]" "$1"; }
say "report"
run "$APP" report registry 'C:\park\r.pdf'
said '已保存：C:\park\r.pdf'
check "the registry PDF is a PDF" pdf "$WINEPREFIX/drive_c/park/r.pdf"
say "report with charts"
run "$APP" report overview 'C:\park\o.pdf'
said '已保存：C:\park\o.pdf'
check "the overview PDF is a PDF" pdf "$WINEPREFIX/drive_c/park/o.pdf"

say "field package out and opened (the instructor's laptop)"
run "$APP" problems list --json  # a unit with a problem to rectify: its package
PROBLEM=$(json "print(next(p['uuid'] for p in d if p['status'] == '待整改'))")
USCC=$(json "print(next(p['org']['uscc'] for p in d if p['uuid'] == '$PROBLEM'))")
run "$APP" field export 'C:\park\p.pdfield' --org "$USCC"
said "已制作外业包：1个单位"
run "$APP" --db 'C:\park\field.sqlite3' field open 'C:\park\p.pdfield'
said "已打开外业包："
PARK=$(sed -n 's/^已打开外业包：\([^，]*\)，.*/\1/p' "$OUT" | tr -d '\r')
run "$APP" --db 'C:\park\field.sqlite3' problems set "$PROBLEM" --status 已整改
said "已更新为“已整改”"
run "$APP" --db 'C:\park\field.sqlite3' field return 'C:\park\back.pdreturn'
said "已制作回传包：新增0，修改1"
say "packages open with ParkDesk from Explorer"
OPEN="\"$INSTDIR\\python\\pythonw.exe\" \"$INSTDIR\\main.py\" \"%1\""
for type in FieldPackage ReturnPackage; do
  run reg query "HKCU\\Software\\Classes\\ParkDesk.$type\\shell\\open\\command"
  said "$OPEN"
  ok "ParkDesk.$type opens with $OPEN"
done

# the visible windows' titles, one a line
shown() { for id in $(xdotool search --onlyvisible --name '' 2>/dev/null); do xdotool getwindowname "$id"; done | grep -v '^$' || true; }
# window REGEX SECONDS: the id of the visible window whose title matches, waiting up to SECONDS
window() {
  waited=0
  until found=$(xdotool search --onlyvisible --name "$1" 2>/dev/null | head -n 1) && [ -n "$found" ]; do
    [ $waited -lt "$2" ] || { shown >&2; return 1; }
    sleep 2; waited=$((waited + 2))
  done
  echo "$found"
}
# only WHAT REGEX: no visible window but those whose title matches (an error box fails)
only() {
  others=$(shown | grep -Ev "$2" || true)
  [ -z "$others" ] || { printf 'window: %s\n' "$others"; fail "$1: a window not expected (above)"; }
}
# ink PNG LEFT TOP RIGHT BOTTOM (percent of its size): the percent of that box's pixels
# that are not its commonest shade, i.e. what is drawn there (text, lines, charts)
ink() {
  convert "$1" -colorspace Gray -depth 8 gray:- | python3 -c '
import collections, sys
w, h, left, top, right, bottom = map(int, sys.argv[1:])
b = sys.stdin.buffer.read()
box = [b[y * w + x] for y in range(h * top // 100, h * bottom // 100) for x in range(w * left // 100, w * right // 100)]
bg = collections.Counter(box).most_common(1)[0][0]
print(sum(abs(v - bg) > 48 for v in box) * 100 // len(box))' $(identify -format '%w %h' "$1") "$2" "$3" "$4" "$5"
}
MAIN="^$PARK — $TITLE\$"  # the window's title once the database is open (before: $TITLE)

say "the window (as the Start menu starts it: the database used last, here the data folder's)"
SHOT=${SHOT:-$WINEPREFIX/window.png}
timeout 900 wine64 "$INSTDIR\\python\\pythonw.exe" "$INSTDIR\\main.py" > /dev/null 2>&1 &
RUNNING=$!  # pythonw has no output; as long as this runs, so does the window
began=$(date +%s)
WINDOW=$(window "$MAIN" 180) || fail "no window titled '$PARK — $TITLE' after 180 s"
ok "the window '$PARK — $TITLE' after $(($(date +%s) - began)) s"
sleep 20  # its pages filled and the overview's charts drawn (numpy, matplotlib)
only "the window" "$MAIN"
import -window "$WINDOW" "$SHOT"
nav=$(ink "$SHOT" 1 15 9 60) page=$(ink "$SHOT" 12 15 98 90)
printf "%s\n" "screenshot $SHOT: the navigation ${nav}% drawn, the page ${page}%"
check "the page names drawn in the navigation" test "$nav" -ge 3
check "the page drawn" test "$page" -ge 2
check "the window still running" kill -0 "$RUNNING"

say "a return package double-clicked while the window is open goes to that window"
# as Explorer runs it (the registered command): it hands the package over and ends at
# once; not handed over, it shows 无法打开 and waits (then it times out)
LIMIT=60; run "$INSTDIR\\python\\pythonw.exe" "$INSTDIR\\main.py" 'C:\park\back.pdreturn'
LIMIT=600; ok "the second start ended"
MERGE="^导入回传包：back\\.pdreturn"
DIALOG=$(window "$MERGE" 60) || fail "the open window showed no merge dialog (导入回传包：back.pdreturn)"
ok "the window shows the merge dialog"
sleep 2
only "the merge dialog" "$MAIN|$MERGE"
MERGE_SHOT="$(dirname "$SHOT")/window-merge.png"
import -window root "$MERGE_SHOT"
printf "%s\n" "screenshot $MERGE_SHOT (the merge dialog over the window)"
timeout 20 xdotool windowfocus --sync "$DIALOG" key Return  # 导入, the dialog's default button
window "^回传包已导入" 60 > /dev/null || fail "the merge was not done (no 回传包已导入)"
ok "回传包已导入"
only "the merge done" "$MAIN|^回传包已导入"
check "the window still running" kill -0 "$RUNNING"
wineserver -k; sleep 2
run "$APP" problems list --json
json "p = next(p for p in d if p['uuid'] == '$PROBLEM'); assert p['status'] == '已整改', p"
ok "the field's 已整改 is in the office's database"

say "silent uninstall keeps the data"
kept() { find "$DATA" -type f -exec sha256sum {} + | sort; }
kept > "$WINEPREFIX/data-before.txt"
held() { grep -q "/parkdesk.sqlite3\$" "$WINEPREFIX/data-before.txt" && grep -q "/backups/" "$WINEPREFIX/data-before.txt"; }
check "the database and its backups in $DATA" held
run "$INSTDIR\\uninstall.exe" /S
timeout 120 wineserver -w  # the uninstaller goes on from a copy of itself
same() { [ -d "$DATA" ] && kept | cmp -s - "$WINEPREFIX/data-before.txt"; }
check "data kept: $DATA as it was (the database, its backups, the log)" same
check "program removed ($INSTDIR)" test ! -e "$PROGRAM"
check "shortcut removed" test ! -e "$LINK"
if wine64 reg query "$KEY" > /dev/null 2>&1; then fail "uninstall entry left"; fi
if wine64 reg query 'HKCU\Software\Classes\.pdfield' > /dev/null 2>&1; then fail "file type left"; fi
ok "entries removed"
say "all passed"
