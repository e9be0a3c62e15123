#!/bin/sh
# Debian/Ubuntu packages the app (Qt), the tests (pdftoppm) or CI (PostgreSQL) need from the system.
# Usage: packaging/linux/system-deps.sh run|test|ci
# As root with apt-get it installs what is missing; otherwise it names what is missing and carries on.
set -eu
run="python3-venv libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libxcb-cursor0
     libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 fonts-dejavu-core"
case "${1:-run}" in
    run) wanted="$run" ;;
    test) wanted="$run poppler-utils postgresql" ;;
    ci) wanted="$run poppler-utils postgresql" ;;
    *) echo "usage: $0 run|test|ci" >&2; exit 2 ;;
esac
command -v dpkg >/dev/null 2>&1 || exit 0  # not Debian: see README for the libraries Qt needs
missing=""
for pkg in $wanted; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing system packages:$missing" >&2
    apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
else
    echo "note: these system packages are missing (install them with apt-get as root):$missing" >&2
fi
