# Sourced by the bench scripts. best RUNS COMMAND...: the seconds and peak RSS (KB) of the
# fastest of RUNS runs of COMMAND (its stdout discarded); $out is the scratch directory.
# seconds START END: the seconds between two `date +%s.%N`; median X...: their median.
best() {
  local runs=$1 best_s="" best_kb="" s kb
  shift
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" > /dev/null
    read -r s kb < "$out/time.txt"
    if [ -z "$best_s" ] || awk "BEGIN{exit !($s < $best_s)}"; then best_s=$s; best_kb=$kb; fi
  done
  echo "$best_s $best_kb"
}
seconds() { python3 -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]))" "$1" "$2"; }
median() { python3 -c "import statistics,sys; print(statistics.median(float(x) for x in sys.argv[1:]))" "$@"; }
