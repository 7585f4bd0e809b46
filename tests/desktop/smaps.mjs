// Where a process tree's memory goes, from /proc/<pid>/smaps: for each
// process, its PSS split into anonymous memory (heaps, JIT, pixel buffers),
// file-backed pages (code and data of the binaries and libraries, fonts,
// ICU data) and shared memory (buffers shared with X or between WebKit's
// processes), and the mappings that weigh most.

import { readFileSync, readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { processTree } from './memory.mjs';

const field = (text, name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);

/** The heaviest mappings of one process by PSS, grouped by what they map. */
function heaviest(pid, top) {
  const byName = new Map();
  let name = '';
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const header = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (header) {
      const path = header[1].trim();
      name = path === '' ? '[anonymous]' : path.startsWith('[') ? path : basename(path).replace(/ \(deleted\)$/, '');
      continue;
    }
    const pss = /^Pss:\s+(\d+) kB/.exec(line);
    if (pss) byName.set(name, (byName.get(name) ?? 0) + Number(pss[1]));
  }
  return [...byName.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([mapping, pssKib]) => ({ mapping, pssKib }));
}

/** [{pid, name, pssKib, anonKib, fileKib, shmemKib, top: [{mapping, pssKib}]}] for the tree under rootPid. */
export function breakdown(rootPid, top = 6) {
  const out = [];
  for (const pid of processTree(rootPid)) {
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      out.push({
        pid,
        name: readFileSync(`/proc/${pid}/comm`, 'utf8').trim(),
        pssKib: field(rollup, 'Pss'),
        anonKib: field(rollup, 'Pss_Anon'),
        fileKib: field(rollup, 'Pss_File'),
        shmemKib: field(rollup, 'Pss_Shmem'),
        top: heaviest(pid, top),
      });
    } catch {
      // Gone, or not ours to read.
    }
  }
  return out.sort((a, b) => b.pssKib - a.pssKib);
}

/**
 * Processes outside `tree` that map WebKitGTK's library. PSS splits a
 * shared page between every process mapping it, so while another WebKit
 * app runs (another test, say), the tree's PSS drops by its share.
 */
export function otherWebKitProcesses(tree) {
  const ours = new Set(tree);
  const others = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || ours.has(Number(entry))) continue;
    try {
      if (readFileSync(`/proc/${entry}/maps`, 'utf8').includes('libwebkit2gtk')) {
        others.push({ pid: Number(entry), name: readFileSync(`/proc/${entry}/comm`, 'utf8').trim() });
      }
    } catch {
      // Gone, or not ours to read.
    }
  }
  return others;
}
