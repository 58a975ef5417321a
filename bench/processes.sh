# Sourced by the bench scripts that start processes of their own: loopback ports, times and their summaries.

TAKEN=" "
free_port() {  # free_port VAR: a loopback port nothing listens on and not given out before in this run, into VAR
  local p
  while true; do
    p=$((20000 + RANDOM % 40000))
    [[ "$TAKEN" == *" $p "* ]] && continue
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && continue
    TAKEN="$TAKEN$p "
    printf -v "$1" '%s' "$p"
    return 0
  done
}
now() { date +%s.%N; }
stats() {  # min median max of the arguments
  printf '%s\n' "$@" | sort -n \
    | awk '{v[NR]=$1} END{printf "%s %s %s", v[1], (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2), v[NR]}'
}
