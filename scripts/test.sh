#!/usr/bin/env bash
# The test command (README: `bash scripts/test.sh [pytest args]`).
#
# On a fresh Debian machine it installs what the suite needs (PostgreSQL for
# the ledger tests, Chromium + driver + CJK fonts for the browser tests),
# creates .venv and installs duban with its test extras, starts a throwaway
# PostgreSQL cluster on loopback, runs pytest, and stops the cluster on exit.
# Set DUBAN_TEST_PG_URL yourself to test against an existing server instead.
set -euo pipefail

cd "$(dirname "$0")/.."
REPO=$(pwd)

say() { printf '[test.sh] %s\n' "$*" >&2; }
loud() {
    printf '\n%s\n!!! %s\n%s\n\n' "$(printf '!%.0s' {1..78})" "$*" "$(printf '!%.0s' {1..78})" >&2
}

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo "$@"
    else return 1
    fi
}

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

# ---- system packages --------------------------------------------------------
install_packages() {
    command -v apt-get >/dev/null 2>&1 || { say "not Debian (no apt-get): skipping package install"; return 0; }
    local wanted=(postgresql chromium chromium-driver fonts-noto-cjk) missing=()
    if [ ! -x .venv/bin/python ] && ! python3 -c "import ensurepip" 2>/dev/null; then
        wanted+=(python3-venv)
    fi
    for p in "${wanted[@]}"; do installed "$p" || missing+=("$p"); done
    [ ${#missing[@]} -eq 0 ] && return 0
    say "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # One apt-get update, and only because something is missing.
    if ! as_root apt-get update -qq || ! as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
        loud "could not install ${missing[*]} (need root or passwordless sudo); tests that need them will skip"
    fi
}

# ---- python environment -----------------------------------------------------
setup_venv() {
    if [ ! -x .venv/bin/python ]; then
        say "creating .venv"
        python3 -m venv .venv
    fi
    local stamp=.venv/.duban-test-installed want
    want=$(sha256sum pyproject.toml | cut -d' ' -f1)
    if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        say "pip install -e '.[test]'"
        .venv/bin/pip install -q -e '.[test]'
        echo "$want" > "$stamp"
    fi
}

# ---- throwaway PostgreSQL ---------------------------------------------------
PG_DIR=""
PG_AS=()
stop_postgres() {
    [ -n "$PG_DIR" ] || return 0
    "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
}

start_postgres() {
    if [ -n "${DUBAN_TEST_PG_URL:-}" ]; then
        say "using PostgreSQL from DUBAN_TEST_PG_URL"
        return 0
    fi
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
    if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
        loud "PostgreSQL is not installed: the PostgreSQL half of the ledger tests will be SKIPPED"
        return 0
    fi
    PG_DIR=$(mktemp -d /tmp/duban-pg.XXXXXX)
    if [ "$(id -u)" -eq 0 ]; then
        # The server refuses to run as root: run it as the postgres system user.
        id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
        chown postgres "$PG_DIR"
        PG_AS=(runuser -u postgres --)
    fi
    local port
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    if "${PG_AS[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 \
            --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 \
       && "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
            -o "-k $PG_DIR -p $port -h 127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            start >/dev/null; then
        export DUBAN_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
        say "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') running on 127.0.0.1:$port"
    else
        cat "$PG_DIR"/*.log >&2 2>/dev/null || true
        loud "PostgreSQL could not start: the PostgreSQL half of the ledger tests will be SKIPPED"
        stop_postgres
        PG_DIR=""
    fi
}

install_packages
setup_venv
trap stop_postgres EXIT
start_postgres

status=0
"$REPO/.venv/bin/python" -m pytest "$@" || status=$?
exit "$status"
