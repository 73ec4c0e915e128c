#!/bin/sh
# Opens the dashboard of the shipped plan in a real, headless Chromium and
# checks it: no console error, every SVG chart drawn (non-zero size, with
# marks inside), no request leaving the page; takes screenshots at 1280×800
# and 390×844 and a print preview (A4 landscape PDF, first page as PNG).
#
# Not run by `cargo test`. Needs Debian's chromium and chromium-driver (no
# browser is downloaded at run time) and Selenium from PyPI:
#
#   tests/browser/site.sh            # installs what is missing, then runs
#   SITE_SHOTS=docs tests/browser/site.sh   # also copy the Vietnamese
#                                           # screenshots there (as in docs/)
#
# Run from the repository root. Exit 0 when every check passes.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
work=target/site-browser
mkdir -p "$work"

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    apt-get update -qq && apt-get install -y -qq chromium chromium-driver
fi
python3 -c 'import selenium' 2>/dev/null || pip install -q selenium

cargo build -q
./target/debug/plan site --half 2023H1 -o "$work/vi"
./target/debug/plan --lang en site --half 2023H1 -o "$work/en"

python3 "$root/tests/browser/site_check.py" "$work" "$work"

# Print preview: Chromium's own PDF, as the print dialog would make it.
profile=$(mktemp -d)
chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run \
    --user-data-dir="$profile" --no-pdf-header-footer \
    --print-to-pdf="$work/print.pdf" "file://$root/$work/vi/index.html" 2>/dev/null
rm -rf "$profile"
if command -v pdftoppm >/dev/null; then
    pdftoppm -png -r 60 -f 1 -l 2 "$work/print.pdf" "$work/print"
    echo "print preview: $work/print-1.png, $work/print-2.png"
fi

if [ -n "${SITE_SHOTS:-}" ]; then
    mkdir -p "$SITE_SHOTS"
    cp "$work/site-vi-1280x800.png" "$work/site-vi-390x844.png" "$SITE_SHOTS/"
    echo "copied the Vietnamese screenshots to $SITE_SHOTS"
fi
