#!/usr/bin/env bash
# Gathers Debian 12's Qt 6 (development files, the libraries the app loads, and those libraries'
# own dependencies) as .deb files for the GPU machine, which has no Qt and no apt. Run it here,
# from the project's root, after packaging/install-deps.sh:
#     bash packaging/gpu/prepare-qt.sh
# It fills .gpudeps-qt/debs/ (ignored through .git/info/exclude; about 30 MB, under the 64 MiB a
# device call can carry). packaging/gpu/open-issues.sh unpacks them there with dpkg-deb -x.
# The runtime list is what the loader resolves here for every Qt part the app and the tests load
# (the libraries, the offscreen platform plugin, the image and icon plugins, moc/uic/rcc), so it
# is complete by construction; the C and C++ runtimes and GCC's OpenMP runtime stay out (the GPU
# machine's are newer and keep their ABI; its compiler and LibTorch load them too). --check also verifies, after unpacking them here, that every such library
# resolves inside the unpacked tree.
set -euo pipefail
root=$(git rev-parse --show-toplevel)
cd "$root"
grep -qx '/.gpudeps-qt/' .git/info/exclude 2>/dev/null || echo '/.gpudeps-qt/' >> .git/info/exclude

L=/usr/lib/x86_64-linux-gnu
# What the build reads: headers, CMake packages, moc/uic/rcc; Qt6Gui's CMake package requires
# OpenGL's headers and link libraries. Fonts and fontconfig's configuration for the offscreen
# platform (it renders text; the machine may have no fonts).
dev="qt6-base-dev qt6-base-dev-tools qmake6 qt6-svg-dev libqcustomplot-dev libgl-dev libglx-dev libopengl-dev
     fontconfig-config fonts-dejavu-core"
loaded=("$L"/libQt6{Core,Gui,Widgets,PrintSupport,Svg,SvgWidgets,Concurrent,Test,DBus,OpenGL,OpenGLWidgets}.so.6
        "$L"/libQCustomPlotQt6.so.2.1 "$L"/qt6/plugins/platforms/libqoffscreen.so "$L"/qt6/plugins/imageformats/*.so
        "$L"/qt6/plugins/iconengines/*.so /usr/lib/qt6/libexec/{moc,uic,rcc})
for f in "${loaded[@]}"; do [ -e "$f" ] || { echo "missing $f: run packaging/install-deps.sh first" >&2; exit 1; }; done

# The package of each resolved library; Debian's merged /usr means ldd may print /lib/... for a
# file dpkg knows as /usr/lib/... (or the other way round).
owner() {
    dpkg -S "$1" 2>/dev/null || dpkg -S "${1#/usr}" 2>/dev/null || dpkg -S "/usr$1" 2>/dev/null || true
}
runtime=$(for f in "${loaded[@]}"; do echo "$f"; ldd "$f" | awk '/=> \// {print $3}'; done | sort -u |
          while read -r lib; do owner "$lib"; done | cut -d: -f1 | sort -u |
          grep -vxE 'libc6|libstdc\+\+6|libgcc-s1|libgomp1' | tr '\n' ' ')
[ -n "$runtime" ] || { echo "no runtime packages found" >&2; exit 1; }

rm -rf .gpudeps-qt && mkdir -p .gpudeps-qt/debs
(cd .gpudeps-qt/debs && apt-get download $dev $runtime >/dev/null)
echo "prepared .gpudeps-qt ($(du -sh .gpudeps-qt | cut -f1), $(ls .gpudeps-qt/debs | wc -l) packages)"

if [ "${1:-}" = --check ]; then
    tree=$(mktemp -d)
    trap 'rm -rf "$tree"' EXIT
    for d in .gpudeps-qt/debs/*.deb; do dpkg-deb -x "$d" "$tree"; done
    bad=0
    for f in "${loaded[@]}"; do
        unpacked="$tree${f}"
        # Everything but the C/C++ runtimes and the loader must come from the unpacked tree.
        # Packages install under /usr/lib and /lib alike: both folders, as open-issues.sh sets them.
        outside=$(LD_LIBRARY_PATH="$tree$L:$tree/lib/x86_64-linux-gnu" ldd "$unpacked" | awk '/=> \// {print $3}' |
                  grep -v "^$tree" | grep -vE '/(libc|libm|libstdc\+\+|libgcc_s|libgomp|libpthread|libdl|librt)\.so' || true)
        if [ -n "$outside" ]; then echo "$f loads from outside: $outside"; bad=1; fi
    done
    [ $bad -eq 0 ] && echo "check: every Qt part resolves inside the unpacked packages"
    exit $bad
fi
