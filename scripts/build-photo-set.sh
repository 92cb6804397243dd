#!/usr/bin/env bash
# Builds the real-photograph evaluation set: fetches Debian wallpaper packages (real photographs,
# free licences: CC-BY, CC-BY-SA, CC0, GPL — see each package's copyright file under
# data/photo-set/sources/), unpacks their images, and pastes signs into them with
# `collabvlm-bench photo-set`. Nothing it writes is committed: data/ is ignored by git.
#
#   scripts/build-photo-set.sh [OUT] [extra photo-set options, e.g. --count 120 --holdout-count 60]
#
# OUT (default data/photo-set) receives debs/, sources/<package>/ and the data sets tune/ and holdout/.
# lomiri-wallpapers-20.04 is held out of all tuning; the others make tune/.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-data/photo-set}"
shift || true
packages=(lomiri-wallpapers-16.04 lomiri-wallpapers-20.04 ukui-wallpapers mate-backgrounds)
holdout=lomiri-wallpapers-20.04

mkdir -p "$out/debs" "$out/sources"
for p in "${packages[@]}"; do
  if ! ls "$out/debs/${p}"_*.deb >/dev/null 2>&1; then
    (cd "$out/debs" && apt-get download "$p")
  fi
  if [ ! -d "$out/sources/$p" ]; then
    tmp="$(mktemp -d)"
    dpkg-deb -x "$out/debs/${p}"_*.deb "$tmp"
    mkdir -p "$out/sources/$p"
    # Images only (the builder keeps those ≥ 3000 px wide), and the licence beside them.
    find "$tmp" -type f \( -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.png' \) -exec cp -t "$out/sources/$p" {} +
    cp "$tmp/usr/share/doc/$p/copyright" "$out/sources/$p/COPYRIGHT" 2>/dev/null || true
    rm -rf "$tmp"
  fi
done

dotnet build src/Bench --nologo -v q
dotnet run --project src/Bench --no-build -- photo-set --photos "$out/sources" --holdout "$holdout" --out "$out" "$@"
