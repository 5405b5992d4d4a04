// The benchmark's table, in the columns of the Rust benchmark's (crates/bench/src/run.rs,
// print_table), so BENCHMARKS.md reads the same for both: what, the median, its target, met or
// not, the peer (or floor) measured in the same run, its value, and the ratio to it. A figure's
// unit (ms or MB) is in its name; "× peer" is value ÷ peer (how many times the peer's).

/**
 * A figure: { name, value, target (upper bound, same unit) | null, peer | null,
 * peerValue | null, result: text }.
 */
export function meetsTarget(f) {
  return f.target == null ? null : f.value <= f.target;
}

export function formatTable(title, figures) {
  const lines = [title];
  const row = (what, value, target, ok, peer, peerValue, ratio, result) =>
    `${what.padEnd(56)} ${value.padStart(10)} ${target.padStart(9)} ${ok.padStart(6)}  ${peer.padEnd(22)} ${peerValue.padStart(10)} ${ratio.padStart(8)}  ${result}`.trimEnd();
  lines.push(row("what", "ms or MB", "target", "ok", "peer", "peer value", "× peer", "result"));
  for (const f of figures) {
    const met = meetsTarget(f);
    lines.push(
      row(
        f.name,
        f.value.toFixed(1),
        f.target == null ? "" : `≤${f.target}`,
        met == null ? "" : met ? "yes" : "NO",
        f.peer ?? "",
        f.peerValue == null ? "" : f.peerValue.toFixed(1),
        f.peerValue ? `${(f.value / f.peerValue).toFixed(1)}x` : "",
        f.result ?? "",
      ),
    );
  }
  return lines.join("\n");
}

export function median(values) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
