// CPU time of a started backend, read from /proc: the user + system time of
// every process in its process group (`yarn workspace backend start` is
// detached, so the group is the backend, its CLI parent and yarn; the last
// two idle). Divided by the requests served, it is the backend's CPU per
// request, including whatever the process does in the background meanwhile.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = Number(
  execFileSync('getconf', ['CLK_TCK']).toString().trim(),
);

/** Milliseconds of CPU used so far by the processes of group `pgid`. */
export function groupCpuMs(pgid) {
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // The command name (field 2) may hold spaces; fields resume after ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): pgrp is field 5, utime 14, stime 15.
    if (Number(fields[2]) === pgid) {
      ticks += Number(fields[11]) + Number(fields[12]);
    }
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** Runs `fn` and returns its result with the CPU the groups used meanwhile. */
export async function withGroupCpu(pgids, fn) {
  const before = pgids.map(groupCpuMs);
  const result = await fn();
  const cpuMs = pgids
    .map((pgid, i) => groupCpuMs(pgid) - before[i])
    .reduce((a, b) => a + b, 0);
  return { result, cpuMs };
}
