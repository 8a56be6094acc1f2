#!/usr/bin/env bash
# Real-services test stack: PostgreSQL, Redis, Dovecot (IMAP + LMTP), Postfix (SMTP) and dnsmasq,
# each started by this script on a free loopback port, as root, without systemd or Docker.
# See ../shared/TEST-STACK.md for why each setting is there.
#
#   bash scripts/stack.sh deps   install the Debian packages if a binary is missing
#   bash scripts/stack.sh up     deps, then start everything (does nothing if it is already up)
#   bash scripts/stack.sh down   stop exactly what `up` started and remove .stack/
#   bash scripts/stack.sh env    print `export STACK_…=…` lines: eval "$(bash scripts/stack.sh env)"
#   bash scripts/stack.sh status exit 0 if the stack is up, 1 if not
#   bash scripts/stack.sh acquire PID   up if needed, and hold a lease for process PID
#   bash scripts/stack.sh release PID   drop PID's lease; a stack that `acquire` started is stopped
#                                       when its last live lease goes (a stack from `up` stays)
#
# Several test runs may share one checkout (and so one stack) at once: up/down/acquire/release
# take a lock, and the leases keep one run from stopping the stack under another.
#
# Environment:
#   STACK_DNS_TXT   extra dnsmasq TXT records, one per line: name,"value"
#   STACK_REDIS_AOF set to 1 to run Redis with appendonly yes (durability tests)
#
# Result: .stack/stack.env with STACK_PG_URL, STACK_REDIS_URL, STACK_IMAP_HOST, STACK_IMAP_PORT,
# STACK_SMTP_PORT, STACK_LMTP_PORT, STACK_DNS, STACK_PASSWORD, STACK_DIR and the pids.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="$REPO/.stack"
ENV_FILE="$STATE/stack.env"
PASSWORD=secret
PACKAGES=(postgresql redis-server dovecot-imapd dovecot-lmtpd postfix dnsmasq-base poppler-utils tesseract-ocr tesseract-ocr-eng tesseract-ocr-deu tesseract-ocr-fra tesseract-ocr-nld tesseract-ocr-spa chromium docker-compose)

log() { printf '[stack] %s\n' "$*" >&2; }
die() {
  printf '[stack] error: %s\n' "$*" >&2
  exit 1
}
now_ms() { date +%s%3N; }

pg_bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

# ---------------------------------------------------------------- packages

missing_binaries() {
  local missing=()
  local bin
  bin="$(pg_bindir)"
  [[ -n "$bin" && -x "$bin/initdb" && -x "$bin/pg_ctl" && -x "$bin/pg_isready" ]] || missing+=(postgresql)
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null || missing+=(redis-server)
  [[ -x /usr/sbin/dovecot && -x /usr/lib/dovecot/imap ]] || missing+=(dovecot-imapd)
  [[ -x /usr/lib/dovecot/lmtp ]] || missing+=(dovecot-lmtpd)
  [[ -x /usr/sbin/postfix && -x /usr/sbin/postconf ]] || missing+=(postfix)
  [[ -x /usr/sbin/dnsmasq ]] || missing+=(dnsmasq-base)
  command -v pdftoppm >/dev/null && [[ "$(tesseract --list-langs 2>/dev/null | grep -cxE 'eng|deu|fra|nld|spa')" == 5 ]] || missing+=(tesseract-ocr)
  command -v chromium >/dev/null || missing+=(chromium) # the shadow report's screenshot test
  command -v docker-compose >/dev/null || missing+=(docker-compose) # `config -q` checks docker-compose.yml (no engine needed)
  echo "${missing[*]}"
}

cmd_deps() {
  local missing
  missing="$(missing_binaries)"
  if [[ -z "$missing" ]]; then
    return 0
  fi
  [[ "$(id -u)" == 0 ]] || die "missing packages ($missing) and not root: install ${PACKAGES[*]}"
  log "installing Debian packages (missing: $missing)"
  local t0
  t0=$(now_ms)
  # Postfix would otherwise ask debconf what kind of mail server this is.
  echo 'postfix postfix/main_mailer_type select No configuration' | debconf-set-selections
  # No init system here: keep the packages' maintainer scripts from starting their system services
  # (Dovecot on 143, a cluster on 5432…). Only if nobody else set a policy.
  local policy_created=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    policy_created=1
  fi
  local rc=0
  {
    DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${PACKAGES[@]}" </dev/null
  } >"${TMPDIR:-/tmp}/deskhand-stack-apt.log" 2>&1 || rc=$?
  if [[ $policy_created == 1 ]]; then rm -f /usr/sbin/policy-rc.d; fi
  if [[ $rc != 0 ]]; then
    tail -30 "${TMPDIR:-/tmp}/deskhand-stack-apt.log" >&2
    die "apt-get install failed (exit $rc); full log: ${TMPDIR:-/tmp}/deskhand-stack-apt.log"
  fi
  missing="$(missing_binaries)"
  [[ -z "$missing" ]] || die "still missing after install: $missing"
  log "packages installed in $(($(now_ms) - t0)) ms"
}

# ---------------------------------------------------------------- helpers

# A pid that runs (a zombie waiting for PID 1 to reap it counts as gone: that can take seconds here).
alive() {
  [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null || return 1
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"
  [[ "${stat:0:1}" != Z ]]
}

# A TCP port on 127.0.0.1 nobody listens on (and, for dnsmasq, whose UDP side is free too).
# Picked below the kernel's ephemeral range so outgoing connections cannot grab it meanwhile.
USED_PORTS=" "
free_port() { # free_port VAR: sets VAR (not run in a subshell, so USED_PORTS sticks)
  local p i
  for ((i = 0; i < 500; i++)); do
    p=$((20000 + RANDOM % 12000))
    [[ "$USED_PORTS" == *" $p "* ]] && continue
    if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then continue; fi
    if command -v ss >/dev/null && ss -Hlntu "sport = :$p" 2>/dev/null | grep -q .; then continue; fi
    USED_PORTS+="$p "
    printf -v "$1" '%s' "$p"
    return 0
  done
  die "no free port found"
}

# wait_for NAME TIMEOUT_S COMMAND... : retry COMMAND every 50 ms until it succeeds.
wait_for() {
  local name=$1 timeout=$2
  shift 2
  local deadline=$(($(now_ms) + timeout * 1000))
  until "$@" >/dev/null 2>&1; do
    if (($(now_ms) > deadline)); then
      log "$name did not answer within ${timeout}s"
      return 1
    fi
    sleep 0.05
  done
}

# greeting PORT PREFIX : the server's first line starts with PREFIX.
greeting() {
  (
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    line=''
    IFS= read -r -t 2 line <&3 || true
    [[ "$line" == "$2"* ]]
  ) 2>/dev/null
}

read_pid() { [[ -s "$1" ]] && head -1 "$1" | tr -d '[:space:]' || true; }

env_get() { # env_get KEY: value from stack.env (or the partial one of an unfinished `up`), or empty
  local f
  for f in "$ENV_FILE" "$ENV_FILE.partial"; do
    if [[ -f "$f" ]]; then
      sed -n "s/^$1=//p" "$f" | tail -1
      return 0
    fi
  done
}

stack_alive() {
  [[ -f "$ENV_FILE" ]] || return 1
  local k
  for k in STACK_PG_PID STACK_REDIS_PID STACK_DOVECOT_PID STACK_POSTFIX_PID STACK_DNS_PID; do
    alive "$(env_get "$k")" || return 1
  done
}

# ---------------------------------------------------------------- up

cmd_up() {
  if stack_alive; then
    log "already up ($ENV_FILE)"
    return 0
  fi
  if [[ -e "$STATE" ]]; then
    log "stale $STATE: stopping what is left of it first"
    cmd_down
  fi
  [[ "$(id -u)" == 0 ]] || die "run as root: PostgreSQL runs as user postgres, Dovecot and Postfix drop privileges"
  cmd_deps

  local t0
  t0=$(now_ms)
  mkdir -p "$STATE"
  chmod 755 "$STATE"

  # Runtime files live under .stack/run, unless the repo sits where the service users cannot reach
  # (e.g. under /root) or the path is too long for Unix socket names: then in a /tmp dir.
  local run="$STATE/run"
  mkdir -p "$run"
  chmod 755 "$run"
  if ((${#run} > 60)) || ! runuser -u postgres -- test -x "$run" 2>/dev/null ||
    ! runuser -u dovecot -- test -x "$run" 2>/dev/null; then
    rm -rf "$run"
    run="$(mktemp -d /tmp/deskhand-stack.XXXXXX)"
    chmod 755 "$run"
    ln -s "$run" "$STATE/run"
  fi
  # Pids are written as they come, so that `down` can clean up after a failed `up`; stack.env
  # itself appears only when everything answers.
  local partial="$ENV_FILE.partial"
  echo "STACK_RUN_DIR=$run" >"$partial"
  trap 'up_failed $?' EXIT

  local pg_port redis_port imap_port lmtp_port smtp_port dns_port
  free_port pg_port
  free_port redis_port
  free_port imap_port
  free_port lmtp_port
  free_port smtp_port
  free_port dns_port

  # ---- PostgreSQL (refuses to run as root)
  local bin pgdata="$run/pg"
  bin="$(pg_bindir)"
  mkdir -p "$pgdata"
  chown postgres:postgres "$pgdata"
  chmod 700 "$pgdata"
  runuser -u postgres -- "$bin/initdb" -D "$pgdata" -U postgres --auth=trust --no-sync -E UTF8 --locale=C.UTF-8 \
    >"$run/pg-initdb.log" 2>&1 || die "initdb failed"
  touch "$run/pg.log"
  chown postgres:postgres "$run/pg.log"
  # No Unix socket: its path would be limited to ~100 chars, and TCP is all the tests use.
  runuser -u postgres -- "$bin/pg_ctl" -D "$pgdata" -l "$run/pg.log" -w -t 30 \
    -o "-p $pg_port -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off \
-c synchronous_commit=off -c full_page_writes=off -c max_connections=300" start </dev/null >/dev/null 2>&1 9>&- ||
    die "PostgreSQL did not start"
  echo "STACK_PG_PID=$(read_pid "$pgdata/postmaster.pid")" >>"$partial"

  # ---- Redis
  mkdir -p "$run/redis"
  local aof=no
  [[ "${STACK_REDIS_AOF:-0}" == 1 ]] && aof=yes
  redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly "$aof" --dir "$run/redis" \
    --maxmemory-policy noeviction --daemonize yes --pidfile "$run/redis/redis.pid" \
    --logfile "$run/redis/redis.log" </dev/null >/dev/null 2>&1 9>&- || die "redis-server did not start"

  # ---- Dovecot: IMAP for reading, LMTP for Postfix to deliver into
  local dv="$run/dovecot"
  mkdir -p "$dv/run" "$dv/state" "$run/mail"
  chown dovecot:dovecot "$run/mail"
  chmod 750 "$run/mail"
  local dv_version
  dv_version="$(dovecot --version | cut -d' ' -f1)"
  [[ "$dv_version" == 2.3.* ]] || die "dovecot $dv_version: this script writes a Dovecot 2.3 configuration"
  cat >"$dv/dovecot.conf" <<EOF
# Written by scripts/stack.sh; not the system's /etc/dovecot.
base_dir = $dv/run
state_dir = $dv/state
log_path = $dv/dovecot.log
info_log_path = $dv/dovecot.log
protocols = imap lmtp
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_username_chars =
first_valid_uid = 1
first_valid_gid = 1
passdb {
  driver = static
  args = password=$PASSWORD
}
userdb {
  driver = static
  args = uid=dovecot gid=dovecot home=$run/mail/%d/%n allow_all_users=yes
}
mail_location = maildir:$run/mail/%d/%n
namespace inbox {
  inbox = yes
  separator = /
  mailbox Sent {
    special_use = \\Sent
    auto = subscribe
  }
  mailbox Drafts {
    special_use = \\Drafts
    auto = subscribe
  }
  mailbox Trash {
    special_use = \\Trash
    auto = subscribe
  }
  mailbox Junk {
    special_use = \\Junk
    auto = subscribe
  }
}
recipient_delimiter = +
lmtp_save_to_detail_mailbox = no
imap_idle_notify_interval = 1 secs
mail_max_userip_connections = 1000
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $imap_port
  }
  inet_listener imaps {
    port = 0
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = $lmtp_port
  }
}
EOF
  # Daemons get no inherited stdio (a caller reading our output through a pipe would wait forever)
  # and not the lock's fd 9 (they would hold the lock for as long as they live).
  dovecot -c "$dv/dovecot.conf" </dev/null >>"$dv/dovecot.log" 2>&1 9>&- || die "dovecot did not start"

  # ---- Postfix: SMTP in on a free port, everything delivered to Dovecot over LMTP
  local pf="$run/postfix"
  mkdir -p "$pf/etc" "$pf/queue" "$pf/data"
  chown postfix:postfix "$pf/data"
  local master_src=/etc/postfix/master.cf
  [[ -f $master_src ]] || master_src=/usr/share/postfix/master.cf.dist
  [[ -f $master_src ]] || die "no Postfix master.cf to start from"
  # Every service unchrooted (a chroot would need copies of /etc files in the queue dir); the
  # public smtp listener moved to 127.0.0.1:SMTP_PORT.
  awk -v smtp="127.0.0.1:$smtp_port" '
    /^[#[:space:]]/ || NF < 8 { print; next }
    $1 == "smtp" && $2 == "inet" { print smtp "\tinet\tn\t-\tn\t-\t-\tsmtpd"; next }
    { $5 = "n"; print }
  ' "$master_src" >"$pf/etc/master.cf"
  cat >"$pf/etc/main.cf" <<EOF
# Written by scripts/stack.sh; not the system's /etc/postfix.
compatibility_level = 3.6
queue_directory = $pf/queue
data_directory = $pf/data
mail_owner = postfix
setgid_group = postdrop
myhostname = mx.deskhand-stack.test
mydomain = deskhand-stack.test
myorigin = \$myhostname
mydestination =
inet_interfaces = loopback-only
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject
smtpd_recipient_restrictions = permit_mynetworks, reject
smtpd_peername_lookup = no
smtpd_delay_reject = yes
smtpd_tls_security_level = none
smtp_tls_security_level = none
lmtp_tls_security_level = none
default_transport = lmtp:inet:127.0.0.1:$lmtp_port
relay_transport = lmtp:inet:127.0.0.1:$lmtp_port
local_transport = lmtp:inet:127.0.0.1:$lmtp_port
recipient_delimiter = +
append_dot_mydomain = no
biff = no
message_size_limit = 104857600
maillog_file = $pf/maillog
maillog_file_prefixes = $pf
alias_maps =
alias_database =
local_recipient_maps =
smtpd_banner = \$myhostname ESMTP deskhand-stack
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 5s
EOF
  postfix -c "$pf/etc" start </dev/null >"$run/postfix-start.log" 2>&1 9>&- || die "postfix did not start"

  # ---- dnsmasq: DNS for DKIM/DMARC TXT records. The records go through a config file: dnsmasq strips
  # the quotes of name,"value" (and keeps commas inside them) only there, not on its command line.
  {
    echo "# Written by scripts/stack.sh"
    local line
    while IFS= read -r line; do
      if [[ -n "${line//[[:space:]]/}" ]]; then printf 'txt-record=%s\n' "$line"; fi
    done <<<"${STACK_DNS_TXT:-}"
  } >"$run/dnsmasq.conf"
  dnsmasq --conf-file="$run/dnsmasq.conf" --no-resolv --no-hosts --port="$dns_port" --listen-address=127.0.0.1 \
    --bind-interfaces --pid-file="$run/dnsmasq.pid" --user=root --group=root --log-facility="$run/dnsmasq.log" \
    </dev/null >>"$run/dnsmasq.log" 2>&1 9>&- ||
    die "dnsmasq did not start"

  # ---- wait until each answers
  wait_for PostgreSQL 30 "$bin/pg_isready" -q -h 127.0.0.1 -p "$pg_port" -U postgres
  wait_for Redis 15 redis-cli -h 127.0.0.1 -p "$redis_port" ping
  wait_for "Dovecot IMAP" 15 greeting "$imap_port" '* OK'
  wait_for "Dovecot LMTP" 15 greeting "$lmtp_port" '220'
  wait_for "Postfix SMTP" 15 greeting "$smtp_port" '220'
  wait_for dnsmasq 15 greeting_tcp_only "$dns_port"

  local redis_pid dovecot_pid postfix_pid dns_pid
  redis_pid=$(read_pid "$run/redis/redis.pid")
  dovecot_pid=$(read_pid "$dv/run/master.pid")
  postfix_pid=$(read_pid "$pf/queue/pid/master.pid")
  dns_pid=$(read_pid "$run/dnsmasq.pid")

  cat >>"$partial" <<EOF
STACK_REDIS_PID=$redis_pid
STACK_DOVECOT_PID=$dovecot_pid
STACK_POSTFIX_PID=$postfix_pid
STACK_DNS_PID=$dns_pid
STACK_DOVECOT_CONF=$dv/dovecot.conf
STACK_POSTFIX_DIR=$pf/etc
STACK_PG_DATA=$pgdata
STACK_PG_URL=postgres://postgres@127.0.0.1:$pg_port/postgres
STACK_PG_PORT=$pg_port
STACK_REDIS_URL=redis://127.0.0.1:$redis_port
STACK_REDIS_PORT=$redis_port
STACK_IMAP_HOST=127.0.0.1
STACK_IMAP_PORT=$imap_port
STACK_SMTP_HOST=127.0.0.1
STACK_SMTP_PORT=$smtp_port
STACK_LMTP_PORT=$lmtp_port
STACK_DNS=127.0.0.1:$dns_port
STACK_DNS_PORT=$dns_port
STACK_PASSWORD=$PASSWORD
STACK_MAILLOG=$pf/maillog
STACK_DIR=$STATE
EOF
  mv "$partial" "$ENV_FILE"
  stack_alive || die "a service exited right after starting"
  trap - EXIT
  log "up in $(($(now_ms) - t0)) ms: pg :$pg_port redis :$redis_port imap :$imap_port lmtp :$lmtp_port smtp :$smtp_port dns :$dns_port"
}

# On a failed `up`: show the logs, then stop whatever did start (STACK_KEEP_FAILED=1 keeps it all).
up_failed() {
  local rc=$1 f
  trap - EXIT
  [[ $rc == 0 ]] && return 0
  local run
  run="$(env_get STACK_RUN_DIR)"
  if [[ -n "$run" ]]; then
    for f in "$run"/*.log "$run"/*/*.log "$run"/postfix/maillog; do
      [[ -s "$f" ]] || continue
      printf '[stack] --- %s (last lines)\n' "$f" >&2
      tail -15 "$f" >&2
    done
  fi
  if [[ "${STACK_KEEP_FAILED:-0}" == 1 ]]; then
    log "up failed (exit $rc); left as it is in $STATE (STACK_KEEP_FAILED=1)"
  else
    log "up failed (exit $rc); stopping what had started"
    cmd_down || true
  fi
  exit "$rc"
}

# dnsmasq answers DNS over TCP too; a connect is enough to know it listens.
greeting_tcp_only() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ---------------------------------------------------------------- down

# stop_pid NAME PID : SIGTERM, wait up to 10 s, then SIGKILL.
stop_pid() {
  local name=$1 pid=$2 i
  alive "$pid" || return 0
  kill "$pid" 2>/dev/null || true
  for ((i = 0; i < 200; i++)); do
    alive "$pid" || return 0
    sleep 0.05
  done
  log "$name ($pid) ignored SIGTERM; killing it"
  kill -9 "$pid" 2>/dev/null || true
}

# wait_gone NAME PID : wait up to 10 s for a process stopped by its own tool, then stop it by pid.
wait_gone() {
  local name=$1 pid=$2 i
  for ((i = 0; i < 200; i++)); do
    alive "$pid" || return 0
    sleep 0.05
  done
  stop_pid "$name" "$pid"
}

cmd_down() {
  if [[ ! -e "$STATE" ]]; then
    log "not up"
    return 0
  fi
  local run pf_pid dv_pid pg_pid redis_pid dns_pid
  run="$(env_get STACK_RUN_DIR)"
  [[ -n "$run" ]] || run="$STATE/run"
  # Pids from stack.env, or from the services' own pid files if `up` died before writing them.
  pf_pid="$(env_get STACK_POSTFIX_PID)"
  [[ -n "$pf_pid" ]] || pf_pid="$(read_pid "$run/postfix/queue/pid/master.pid")"
  dv_pid="$(env_get STACK_DOVECOT_PID)"
  [[ -n "$dv_pid" ]] || dv_pid="$(read_pid "$run/dovecot/run/master.pid")"
  pg_pid="$(env_get STACK_PG_PID)"
  [[ -n "$pg_pid" ]] || pg_pid="$(read_pid "$run/pg/postmaster.pid")"
  redis_pid="$(env_get STACK_REDIS_PID)"
  [[ -n "$redis_pid" ]] || redis_pid="$(read_pid "$run/redis/redis.pid")"
  dns_pid="$(env_get STACK_DNS_PID)"
  [[ -n "$dns_pid" ]] || dns_pid="$(read_pid "$run/dnsmasq.pid")"

  # Postfix first, so nothing is delivered into a stopping Dovecot.
  if [[ -f "$run/postfix/etc/main.cf" ]] && alive "$pf_pid"; then
    postfix -c "$run/postfix/etc" stop </dev/null >/dev/null 2>&1 || true
  fi
  # The rest in parallel. Dovecot's master by pid: `dovecot -c FILE stop` does the same but then
  # polls once a second; the master itself takes ~1 s to let its children go.
  if alive "$dv_pid"; then
    kill "$dv_pid" 2>/dev/null || true
  elif [[ -f "$run/dovecot/dovecot.conf" && -z "$dv_pid" ]]; then
    dovecot -c "$run/dovecot/dovecot.conf" stop </dev/null >/dev/null 2>&1 || true
  fi
  if [[ -f "$run/pg/postmaster.pid" ]] && alive "$pg_pid"; then
    runuser -u postgres -- "$(pg_bindir)/pg_ctl" -D "$run/pg" -m fast -W stop </dev/null >/dev/null 2>&1 || true
  fi
  if alive "$redis_pid"; then kill "$redis_pid" 2>/dev/null || true; fi
  if alive "$dns_pid"; then kill "$dns_pid" 2>/dev/null || true; fi

  local p
  for p in "postfix:$pf_pid" "dovecot:$dv_pid" "postgres:$pg_pid" "redis:$redis_pid" "dnsmasq:$dns_pid"; do
    if [[ -n "${p#*:}" ]]; then wait_gone "${p%%:*}" "${p#*:}"; fi
  done

  # Remove the runtime dir (which may live in /tmp) and the state dir.
  if [[ "$run" == /tmp/deskhand-stack.* ]]; then rm -rf "$run"; fi
  rm -rf "$STATE"
  log "down"
}

cmd_env() {
  [[ -f "$ENV_FILE" ]] || die "not up: run bash scripts/stack.sh up"
  local k v
  while IFS='=' read -r k v; do
    if [[ "$k" == STACK_* ]]; then printf 'export %s=%q\n' "$k" "$v"; fi
  done <"$ENV_FILE"
}

# ---------------------------------------------------------------- lock and leases

# One lock per checkout, outside .stack/ (which `down` removes).
LOCK_FILE="/tmp/deskhand-stack-$(printf '%s' "$REPO" | cksum | cut -d' ' -f1).lock"
with_lock() {
  exec 9>>"$LOCK_FILE"
  flock -w 600 9 || die "another stack.sh held $LOCK_FILE for 10 minutes"
  "$@"
}

live_leases() { # prints the pids of live leases, removing dead ones
  local f pid
  for f in "$STATE"/leases/*; do
    [[ -e "$f" ]] || continue
    pid="${f##*/}"
    if alive "$pid"; then echo "$pid"; else rm -f "$f"; fi
  done
}

cmd_acquire() {
  local pid=${1:?usage: stack.sh acquire PID}
  if ! stack_alive; then
    cmd_up
    touch "$STATE/auto" # started for leases: stopped when the last one goes
  fi
  mkdir -p "$STATE/leases"
  touch "$STATE/leases/$pid"
}

cmd_release() {
  local pid=${1:?usage: stack.sh release PID}
  [[ -d "$STATE" ]] || return 0
  rm -f "$STATE/leases/$pid"
  if [[ -f "$STATE/auto" && -z "$(live_leases)" ]]; then
    cmd_down
  elif [[ -f "$STATE/auto" ]]; then
    log "left running: still leased by pid(s) $(live_leases | tr "\n" " ")"
  fi
}

case "${1:-}" in
up)
  with_lock cmd_up
  rm -f "$STATE/auto" # asked for by hand: stays up until `down`
  ;;
down) with_lock cmd_down ;;
acquire) with_lock cmd_acquire "${2:-}" ;;
release) with_lock cmd_release "${2:-}" ;;
env) cmd_env ;;
deps) with_lock cmd_deps ;;
status) stack_alive ;;
*)
  echo "usage: bash scripts/stack.sh up|down|env|deps|status|acquire PID|release PID" >&2
  exit 2
  ;;
esac
