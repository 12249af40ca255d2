#!/bin/sh
# The Windows build as CI runs it: build the installer, then its smoke test under Wine
# on a virtual display (packaging/windows/smoke_test.sh), and keep the screenshot.
#   sh packaging/windows/ci.sh      (as root on Debian; needs the package registries)
#   NO_BUILD=1 sh packaging/windows/ci.sh      (tries the installer already built)
# The window needs Wine 9 or later. Debian 12's wine is 8.0, so on Debian 12 the test
# runs in a Debian 13 (trixie) root made once with debootstrap (cached: $CHROOT), with
# the build folder mounted in it; on Debian 13 and later it runs here.
set -eu
cd "$(dirname "$0")/../.."
CHROOT=${CHROOT:-/var/cache/parkdesk/trixie}
PACKAGES="wine64 wine xvfb xauth imagemagick xdotool python3 procps"
start=$(date +%s)

need() { command -v "$1" > /dev/null || apt-get install -y "$2" > /dev/null; }
need makensis nsis
need osslsigncode osslsigncode
[ -n "${NO_BUILD:-}" ] || python3 packaging/build_windows.py
SETUP=$(ls build/windows/ParkDesk-*-setup.exe | tail -n 1)
echo "== installer: $SETUP ($(du -m "$SETUP" | cut -f1) MB, built in $(($(date +%s) - start)) s)"

wine_major() { "$1" --version 2>/dev/null | sed -n 's/^wine-\([0-9]*\).*/\1/p'; }
if [ "$(wine_major /usr/lib/wine/wine64 || echo 0)" -ge 9 ] 2>/dev/null; then
  need xvfb-run xvfb; need import imagemagick; need xdotool xdotool
  xvfb-run -a -s "-screen 0 1400x900x24" sh packaging/windows/smoke_test.sh "$SETUP"
  exit 0
fi

if [ ! -x "$CHROOT/usr/lib/wine/wine64" ]; then
  need debootstrap debootstrap
  echo "== Wine 9+ is not here: a Debian 13 root for the test in $CHROOT (once)"
  mkdir -p "$(dirname "$CHROOT")"
  debootstrap --variant=minbase --include="$(echo $PACKAGES | tr ' ' ,)" trixie "$CHROOT" \
    http://deb.debian.org/debian > /dev/null
fi
# a cached root given what the test needs now (debootstrap keeps no package lists)
chroot "$CHROOT" sh -c "dpkg -s $PACKAGES > /dev/null 2>&1 ||
  { apt-get update > /dev/null && apt-get install -y $PACKAGES > /dev/null; }"
mkdir -p "$CHROOT/mnt/parkdesk"
mounted() { grep -q " $1 " /proc/mounts; }
mounted "$CHROOT/proc" || mount -t proc proc "$CHROOT/proc"
mounted "$CHROOT/dev" || mount --rbind /dev "$CHROOT/dev"
mounted "$CHROOT/mnt/parkdesk" || mount --bind "$PWD" "$CHROOT/mnt/parkdesk"
trap 'umount -l "$CHROOT/mnt/parkdesk" "$CHROOT/dev" "$CHROOT/proc" 2>/dev/null || true' EXIT
echo "== $(chroot "$CHROOT" /usr/lib/wine/wine64 --version) in Debian 13"
chroot "$CHROOT" sh -c "cd /mnt/parkdesk && SHOT=/mnt/parkdesk/build/windows/window.png \
  xvfb-run -a -s '-screen 0 1400x900x24' sh packaging/windows/smoke_test.sh '$SETUP'"
echo "== screenshot: build/windows/window.png; all in $(($(date +%s) - start)) s"
