#!/usr/bin/env bash
# Install what this course package needs into ./.venv (idempotent; fast when already done).
#   ./install.sh        grading: Debian's bubblewrap (as root) and the autograder package
#   ./install.sh test   also what the test suite needs: Jupyter kernel, nbclient, Chromium,
#                       a CJK font for the Korean edition
set -euo pipefail
cd "$(dirname "$0")"
want_test=${1:-}

apt_install() {  # Debian packages, only when running as root with apt-get available
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    if [ ! -f /tmp/.autograder-apt-updated ]; then
      apt-get update -qq >/dev/null && touch /tmp/.autograder-apt-updated
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    echo "install.sh: please install the Debian packages: $*" >&2
  fi
}

command -v bwrap >/dev/null 2>&1 || apt_install bubblewrap
command -v setpriv >/dev/null 2>&1 || apt_install util-linux
# libseccomp compiles the workers' seccomp filter (through the pyseccomp binding)
ldconfig -p 2>/dev/null | grep -q 'libseccomp\.so\.2' || apt_install libseccomp2
if [ "$want_test" = test ] && ! command -v chromium >/dev/null 2>&1; then
  apt_install chromium
fi
# Korean text in the rendered Korean edition (screenshots, HTML tests): a CJK font
if [ "$want_test" = test ] && ! fc-list :lang=ko 2>/dev/null | grep -q .; then
  apt_install fonts-noto-cjk
fi

if [ ! -x .venv/bin/python ]; then
  # --system-site-packages reuses numpy, scikit-learn, ... when the machine already has them
  python3 -m venv --system-site-packages .venv 2>/dev/null || {
    apt_install python3-venv
    rm -rf .venv
    python3 -m venv --system-site-packages .venv
  }
fi
extra=""
[ "$want_test" = test ] && extra="[test]"
stamp=".venv/.installed${extra}"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".${extra}"
  touch "$stamp"
fi
