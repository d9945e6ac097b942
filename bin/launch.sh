# Sourced by bin/importer and bin/exporter, the executables plakar starts (POSIX sh, so
# it runs before anything else is known to be there). Finds a Node.js that can run the
# bundle and execs it in place; otherwise prints one line on stderr (plakar shows the
# plugin's stderr to the user) saying what is needed and what was found, and exits 1.

scw_sm_fail() {
  printf 'scw-secret-manager needs Node.js >= 20.19 (%s); install it or set SCW_SM_NODE=/path/to/node\n' "$1" >&2
  exit 1
}

# SCW_SM_NODE first (cron and service managers often run with a bare PATH), then PATH.
scw_sm_find_node() {
  if [ -n "${SCW_SM_NODE:-}" ]; then
    scw_sm_node=$(command -v -- "$SCW_SM_NODE" 2>/dev/null) || scw_sm_node=
    if [ -z "$scw_sm_node" ] || [ ! -f "$scw_sm_node" ] || [ ! -x "$scw_sm_node" ]; then
      scw_sm_fail "SCW_SM_NODE=$SCW_SM_NODE is not an executable file"
    fi
    return
  fi
  scw_sm_node=$(command -v node 2>/dev/null) || scw_sm_node=
  [ -n "$scw_sm_node" ] || scw_sm_fail "found no node on PATH=$PATH"
}

# Accepts v20.19.x and later; anything that does not answer like Node.js is refused.
scw_sm_check_version() {
  scw_sm_version=$("$scw_sm_node" --version </dev/null 2>/dev/null) || scw_sm_version=
  scw_sm_v=${scw_sm_version#v}
  scw_sm_major=${scw_sm_v%%.*}
  scw_sm_rest=${scw_sm_v#*.}
  scw_sm_minor=${scw_sm_rest%%.*}
  case "$scw_sm_version" in
    v*.*) scw_sm_numbers="$scw_sm_major.$scw_sm_minor" ;;
    *) scw_sm_numbers=x ;;
  esac
  case "$scw_sm_numbers" in
    .* | *. | *[!0-9.]*) scw_sm_fail "found $scw_sm_node, which does not report a Node.js version" ;;
  esac
  if [ "$scw_sm_major" -gt 20 ] || { [ "$scw_sm_major" -eq 20 ] && [ "$scw_sm_minor" -ge 19 ]; }; then
    return
  fi
  # Cut at the first odd character: the message must stay one line.
  scw_sm_fail "found ${scw_sm_version%%[!0-9A-Za-z.+-]*} at $scw_sm_node"
}

# scw_sm_launch BUNDLE [NODE_FLAG...]: exec keeps the pid, stdin and stdout plakar set up.
scw_sm_launch() {
  scw_sm_bundle=$1
  shift
  scw_sm_find_node
  scw_sm_check_version
  exec "$scw_sm_node" "$@" "$scw_sm_bundle"
}
