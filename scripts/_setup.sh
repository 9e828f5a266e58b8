# Shared by scripts/test and scripts/serve (sourced, not run): system packages and .venv.
# Works on a fresh Debian or Ubuntu machine, as root or through sudo.

cd "$(dirname "${BASH_SOURCE[0]}")/.."

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# apt_install PACKAGE... : install Debian packages (one apt-get update first), quietly.
apt_install() {
  echo "Installing with apt-get: $*" >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

# ensure_venv [EXTRA_APT_PACKAGE...] : Python 3.11+ with venv in .venv, plus any extra packages.
ensure_venv() {
  local missing=("$@")
  command -v python3 >/dev/null || missing+=(python3)
  if [ ! -x .venv/bin/python ] && ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
    missing+=(python3-venv)
  fi
  if [ "${#missing[@]}" -gt 0 ]; then
    apt_install "${missing[@]}"
  fi
  if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "Within needs Python 3.11 or newer; python3 is $(python3 --version)." >&2
    exit 1
  fi
  if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
  fi
}

pip_install() {
  .venv/bin/python -m pip install --quiet --disable-pip-version-check "$@"
}
