// Memory of a process tree on Linux, read from /proc.
//
// A WebKitGTK app is several processes (the app, WebKitWebProcess,
// WebKitNetworkProcess); their resident sets share libraries, so the sum of
// RSS counts shared pages more than once. PSS (proportional set size) splits
// each shared page between the processes that map it, so the sum of PSS is
// the tree's real footprint. Both are reported.

import { readFileSync, readdirSync } from 'node:fs';

/** Children of every process, from /proc/<pid>/stat (field 4 is the parent). */
function parents() {
  const map = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name is in parentheses and may contain spaces.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      map.set(Number(entry), Number(fields[1]));
    } catch {
      // The process ended while we looked.
    }
  }
  return map;
}

/** The process and all its descendants. */
export function processTree(rootPid) {
  const parentOf = parents();
  const tree = [rootPid];
  for (let i = 0; i < tree.length; i += 1) {
    for (const [pid, parent] of parentOf) {
      if (parent === tree[i]) tree.push(pid);
    }
  }
  return tree;
}

function kib(text, field) {
  const match = text.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
  return match ? Number(match[1]) : 0;
}

/** { processes: [{pid, name, rssKib, pssKib}], rssKib, pssKib } for the tree under rootPid. */
export function treeMemory(rootPid) {
  const processes = [];
  for (const pid of processTree(rootPid)) {
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      const name = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      processes.push({ pid, name, rssKib: kib(rollup, 'Rss'), pssKib: kib(rollup, 'Pss') });
    } catch {
      // Gone, or not ours to read.
    }
  }
  return {
    processes,
    rssKib: processes.reduce((sum, p) => sum + p.rssKib, 0),
    pssKib: processes.reduce((sum, p) => sum + p.pssKib, 0),
  };
}
