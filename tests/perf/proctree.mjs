// The memory of a process tree as Linux accounts it (/proc, no tools): the app's own process
// and every process below it — WebKitGTK's web and network processes (and a sandbox's bwrap
// or D-Bus proxy when WebKit starts one), all children of the app.
//
// Per process, from /proc/PID/smaps_rollup (kB):
//   USS = Private_Clean + Private_Dirty — pages only this process maps. Shared libraries'
//         code (WebKit, GTK, …) is shared with every other process that maps the same file, so
//         it is not in it: the figure issue 18 checks ("excluding the webview's shared libraries").
//   PSS — every page divided by the number of processes mapping it (so libraries count a share).
//   RSS — every page resident in the process, shared or not (the number `top` shows).
//   Anonymous — pages backed by no file (heaps, stacks, caches, copied-on-write data): USS
//         without the code of files that only this process happens to map (the app's own
//         binary, libraries no other process loaded), which the OS can drop and re-read.

import { readFileSync, readdirSync } from "node:fs";

/** { pid, ppid, comm } of every process readable now. */
function processes() {
  const out = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      // comm is in parentheses and may hold spaces or ')': the fields after it follow the last ')'.
      const close = stat.lastIndexOf(")");
      const comm = stat.slice(stat.indexOf("(") + 1, close);
      const ppid = Number(stat.slice(close + 2).split(" ")[1]);
      out.push({ pid: Number(name), ppid, comm });
    } catch {
      // Gone between readdir and read.
    }
  }
  return out;
}

/** `root` and every process below it (children, grandchildren, …), root first. */
export function processTree(rootPid) {
  const all = processes();
  const byParent = new Map();
  for (const p of all) {
    if (!byParent.has(p.ppid)) byParent.set(p.ppid, []);
    byParent.get(p.ppid).push(p);
  }
  const root = all.find((p) => p.pid === rootPid);
  if (!root) return [];
  const tree = [];
  const queue = [root];
  while (queue.length > 0) {
    const p = queue.shift();
    tree.push(p);
    queue.push(...(byParent.get(p.pid) ?? []));
  }
  return tree;
}

/** The first process named `comm` below `ancestorPid` (e.g. the app under WebKitWebDriver). */
export function findBelow(ancestorPid, comm) {
  return processTree(ancestorPid).find((p) => p.pid !== ancestorPid && p.comm === comm) ?? null;
}

/** The fields of /proc/PID/smaps_rollup that matter here, in kB; null when unreadable. */
export function smapsRollup(pid) {
  let text;
  try {
    text = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
  } catch {
    return null;
  }
  const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? 0);
  const privateKb = kb("Private_Clean") + kb("Private_Dirty");
  return { rssKb: kb("Rss"), pssKb: kb("Pss"), ussKb: privateKb, anonKb: kb("Anonymous"), swapKb: kb("Swap") };
}

/**
 * The memory of `rootPid` and everything below it: per process and summed, in MB
 * (1 MB = 1024 × 1024 bytes, as the Rust bench's peak MB).
 */
export function treeMemory(rootPid) {
  const mb = (kb) => kb / 1024;
  const perProcess = [];
  for (const p of processTree(rootPid)) {
    const m = smapsRollup(p.pid);
    if (!m) continue;
    perProcess.push({
      pid: p.pid,
      comm: p.comm,
      ussMb: mb(m.ussKb),
      pssMb: mb(m.pssKb),
      rssMb: mb(m.rssKb),
      anonMb: mb(m.anonKb),
      swapMb: mb(m.swapKb),
    });
  }
  const sum = (key) => perProcess.reduce((s, p) => s + p[key], 0);
  return {
    ussMb: sum("ussMb"),
    pssMb: sum("pssMb"),
    rssMb: sum("rssMb"),
    anonMb: sum("anonMb"),
    swapMb: sum("swapMb"),
    processes: perProcess,
  };
}
