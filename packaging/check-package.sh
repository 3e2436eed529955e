#!/usr/bin/env bash
# What a desktop user installs, checked (CTest `tst_package`, label packaging): `cmake --install`
# into a scratch prefix puts both programs, the launcher entry, the icon and the AppStream
# metadata where a desktop looks for them, and they pass the freedesktop validators; the
# installed programs run; `cpack` builds a .deb whose Depends name the shared libraries' packages.
# Usage: check-package.sh BUILD_DIR VERSION
set -euo pipefail
build=$1 version=$2
id=org.imblab.ImbalanceLab
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "check-package: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$tmp/usr" >/dev/null
for f in bin/imblab bin/imblab-cli share/applications/$id.desktop share/metainfo/$id.metainfo.xml \
         share/icons/hicolor/scalable/apps/$id.svg; do
  [ -e "$tmp/usr/$f" ] || fail "the install has no $f"
done
desktop-file-validate --no-hints "$tmp/usr/share/applications/$id.desktop"
grep -qx "Icon=$id" "$tmp/usr/share/applications/$id.desktop" || fail "the launcher does not name the icon $id"
appstreamcli validate --no-net "$tmp/usr/share/metainfo/$id.metainfo.xml" >/dev/null \
  || { appstreamcli validate --no-net "$tmp/usr/share/metainfo/$id.metainfo.xml"; fail "AppStream metadata invalid"; }
cli_version=$("$tmp/usr/bin/imblab-cli" --version)
[ "$(head -1 <<<"$cli_version")" = "imblab-cli $version" ] || fail "installed imblab-cli --version: $cli_version"
# Its second line names the libraries the installed program computes with.
[[ "$(sed -n 2p <<<"$cli_version")" == "LibTorch "*" · CPU: "*"BLAS"*" · CUDA: "* ]] || fail "installed imblab-cli --version libraries: $cli_version"
[ "$(QT_QPA_PLATFORM=offscreen "$tmp/usr/bin/imblab" --version)" = "imblab $version" ] || fail "installed imblab --version"

(cd "$build" && cpack -G DEB -B "$tmp/deb" >"$tmp/cpack.log" 2>&1) || { cat "$tmp/cpack.log"; fail "cpack failed"; }
deb="$tmp/deb/imbalance-lab_${version}_amd64.deb"
[ -f "$deb" ] || fail "no $deb (cpack wrote: $(ls "$tmp/deb"))"
[ "$(dpkg-deb -f "$deb" Package)" = imbalance-lab ] || fail "package name"
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "package version"
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libtorch libqt6widgets6 libqcustomplot; do
  grep -q "$lib" <<<"$depends" || fail "Depends lacks $lib: $depends"
done
[ "$(dpkg-deb -f "$deb" Recommends)" = "dataset-fashion-mnist, libopenblas0-openmp" ] || fail "Recommends"
contents=$(dpkg-deb -c "$deb")
for f in usr/bin/imblab usr/bin/imblab-cli usr/share/applications/$id.desktop usr/share/metainfo/$id.metainfo.xml \
         usr/share/icons/hicolor/scalable/apps/$id.svg; do
  grep -q " \./$f\$" <<<"$contents" || fail "the .deb has no /$f"
done
echo "check-package: install and $(basename "$deb") ($(du -k "$deb" | cut -f1) KiB) are complete; Depends: $depends"
