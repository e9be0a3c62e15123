#!/bin/sh
# Installs the one-folder bundle (dist/infusion-charge) for all users: /opt, a command, menu entry and icon.
# Run as root from the repository root after `make dist`: `sudo sh packaging/linux/install.sh [PREFIX]`.
# `--shared-database` (first argument) also sets up one database for every account in the group infusion-charge
# (a shared chair workstation; see resources/docs/admin-security.md).
set -eu
SHARED=no
if [ "${1:-}" = "--shared-database" ]; then SHARED=yes; shift; fi
PREFIX="${1:-/usr/local}"
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BUNDLE="$ROOT/dist/infusion-charge"
APP_ID=org.infusioncharge.capture
[ -x "$BUNDLE/infusion-charge" ] || { echo "no bundle at $BUNDLE: run 'make dist' first" >&2; exit 1; }
rm -rf /opt/infusion-charge
cp -a "$BUNDLE" /opt/infusion-charge
mkdir -p "$PREFIX/bin" "$PREFIX/share/applications" "$PREFIX/share/metainfo" \
    "$PREFIX/share/icons/hicolor/scalable/apps" "$PREFIX/share/icons/hicolor/256x256/apps"
ln -sf /opt/infusion-charge/infusion-charge "$PREFIX/bin/infusion-charge"
install -m 644 "$HERE/$APP_ID.desktop" "$PREFIX/share/applications/$APP_ID.desktop"
install -m 644 "$HERE/$APP_ID.metainfo.xml" "$PREFIX/share/metainfo/$APP_ID.metainfo.xml"
install -m 644 "$ROOT/resources/icons/infusion-charge.svg" "$PREFIX/share/icons/hicolor/scalable/apps/$APP_ID.svg"
install -m 644 "$ROOT/resources/icons/infusion-charge.png" "$PREFIX/share/icons/hicolor/256x256/apps/$APP_ID.png"
command -v update-desktop-database >/dev/null && update-desktop-database -q "$PREFIX/share/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q "$PREFIX/share/icons/hicolor" || true
if [ "$SHARED" = yes ]; then /opt/infusion-charge/infusion-charge workstation share; fi
echo "installed: /opt/infusion-charge, $PREFIX/bin/infusion-charge; check it with: infusion-charge --self-test"
