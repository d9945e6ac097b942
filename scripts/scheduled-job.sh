#!/bin/sh
# Unattended backup of a Scaleway Secret Manager project with plakar, for cron or a
# systemd timer (README, "Scheduled jobs"): backup, prune, check, and a restore drill
# (a dry-run restore of the newest snapshot into the disaster-recovery destination).
#
# Settings, from the environment (a systemd EnvironmentFile or the cron line):
#   SCW_SM_STORE         the kloset store, as given to `plakar at` (required)
#   SCW_SM_SOURCE        the plakar source to back up (default: prod)
#   SCW_SM_DR            the plakar destination of the restore drill (default: dr)
#   SCW_SM_JOB           job name stamped on each snapshot; prune, check and the drill
#                        only look at this job's snapshots (default: scw-sm-<source>)
#   SCW_SM_KEEP          prune keep policy, `plakar prune` flags (default below)
#   SCW_SM_BACKUP_FLAGS  extra `plakar backup` flags, e.g. "-tag nightly"
#   SCW_SM_LOCK          lock file (default: ${XDG_RUNTIME_DIR:-/tmp}/<job>.lock)
#   PLAKAR               the plakar binary (default: plakar on PATH)
# plakar and the plugin see the rest of the environment: PLAKAR_PASSPHRASE for an
# encrypted store, SCW_SECRET_KEY, SCW_SM_NODE when node is not on cron's PATH.
#
# Exit status: 0 every step passed; 1 a step failed (each is logged); 2 bad settings;
# 75 another run still holds the lock (nothing was done).
set -u
set -f # SCW_SM_KEEP and SCW_SM_BACKUP_FLAGS are split into words, never globbed

# Keep counts per bucket, not bare windows: `prune -days 14` alone keeps every snapshot of
# the last 14 days and deletes everything older, all of it once backups have been failing
# for longer than that. With a count per bucket, each day, week and month keeps its newest.
DEFAULT_KEEP='-days 14 -per-day 1 -weeks 8 -per-week 1 -months 12 -per-month 1'

store=${SCW_SM_STORE:-}
source=${SCW_SM_SOURCE:-prod}
dr=${SCW_SM_DR:-dr}
job=${SCW_SM_JOB:-scw-sm-$source}
keep=${SCW_SM_KEEP:-$DEFAULT_KEEP}
backup_flags=${SCW_SM_BACKUP_FLAGS:-}
lock=${SCW_SM_LOCK:-${XDG_RUNTIME_DIR:-/tmp}/$job.lock}
plakar=${PLAKAR:-plakar}

log() {
  printf '%s scheduled-job[%s]: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$job" "$*"
}

settings_error() {
  log "$*"
  exit 2
}

[ -n "$store" ] || settings_error 'SCW_SM_STORE is not set: name the kloset store (as for plakar at)'
case "$keep" in
  *-per-* | *-policy*) ;;
  *) settings_error "SCW_SM_KEEP='$keep' has no keep count (-per-day N, ... or -policy NAME); refusing to prune with windows alone" ;;
esac
command -v flock >/dev/null 2>&1 || settings_error 'flock (util-linux) is needed to keep runs from overlapping'

# One run at a time: a run that starts while the previous one is still going stops here.
exec 9>>"$lock" || settings_error "cannot open the lock file $lock"
if ! flock -n 9; then
  log "another run still holds $lock; not starting"
  exit 75
fi

# 9>&-: plakar and the plugins it starts must not inherit the lock, or one outliving this
# run (a plugin finishing its exit) would keep the next run from starting.
plakar_at() {
  "$plakar" -quiet at "$store" "$@" 9>&-
}

output=$(mktemp "${TMPDIR:-/tmp}/scw-sm-job.XXXXXX") || settings_error 'mktemp failed'
trap 'rm -f "$output"' EXIT
failed=''

# step NAME COMMAND...: runs it, shows its output, logs the outcome, remembers a failure.
# plakar exits 0 from a backup in which items failed; those items show up as
# "<snapshot>: KO ..." lines and the totals as "<snapshot>: backup completed with N errors",
# so the output counts too (anchored: the plugin's own lines name secrets, which could
# hold any words).
PLAKAR_FAILED_ITEMS='^[0-9a-f]{8}: (KO |[a-z]+ completed with [0-9]+ error)'
step() {
  name=$1
  shift
  log "$name: starting"
  "$@" >"$output" 2>&1
  status=$?
  cat "$output"
  if [ "$status" -eq 0 ] && ! grep -Eq "$PLAKAR_FAILED_ITEMS" "$output"; then
    log "$name: ok"
    return 0
  fi
  if [ "$status" -eq 0 ]; then
    log "$name: FAILED (plakar reported items that failed)"
  else
    log "$name: FAILED (exit status $status)"
  fi
  failed="$failed $name"
  return 1
}

# shellcheck disable=SC2086 # word splitting of the flags is intended
if step backup plakar_at backup -job "$job" -no-progress $backup_flags "@$source"; then
  step prune plakar_at prune -job "$job" $keep -apply
else
  # Pruning now could push the last good snapshots out of the windows.
  log 'prune: skipped, the backup failed'
fi

latest=$(plakar_at ls -job "$job" -latest | awk 'NR == 1 { print $2 }')
if [ -z "$latest" ]; then
  log "check, drill: no snapshot of job $job in $store"
  failed="$failed check drill"
else
  step check plakar_at check "$latest"
  # dry_run=true: the drill reads the snapshot and compares it with the destination, and
  # writes nothing to it.
  step drill plakar_at restore -to "@$dr" -o dry_run=true "$latest"
fi

if [ -n "$failed" ]; then
  log "FAILED:$failed"
  exit 1
fi
log "all steps passed (snapshot $latest)"
