import { readdirSync, readFileSync } from 'node:fs';

/** Linux clock ticks per second (`getconf CLK_TCK`; 100 on every Linux this runs on). */
const TICKS_PER_S = 100;

/** CPU time (user + system, ms) and command name of every process now, by pid. */
function snapshot(): Map<number, { comm: string; ms: number }> {
  const out = new Map<number, { comm: string; ms: number }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'latin1');
      // "pid (comm) state ppid …": comm may hold spaces and parentheses; the last ')' ends it.
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      // Fields 14 and 15 of stat (utime, stime) are at 11 and 12 after "pid (comm)".
      const ticks = Number(fields[11]) + Number(fields[12]);
      out.set(Number(name), { comm, ms: (ticks * 1000) / TICKS_PER_S });
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return out;
}

/**
 * Samples the CPU time every process on the machine used from now until `stop()`, by process
 * (a process that ends between samples loses at most one interval). `group` names each
 * process's share (deskhand, postgres, …); the result is ms of CPU per group.
 */
export function cpuSampler(group: (pid: number, comm: string) => string, intervalMs = 200) {
  const base = snapshot();
  const last = new Map<number, { comm: string; ms: number }>();
  const take = () => {
    for (const [pid, v] of snapshot()) last.set(pid, v);
  };
  take();
  const timer = setInterval(take, intervalMs);
  const startedAt = performance.now();
  return {
    stop(): { wallMs: number; byGroup: Map<string, number> } {
      clearInterval(timer);
      take();
      const byGroup = new Map<string, number>();
      for (const [pid, v] of last) {
        const before = base.get(pid);
        // CPU time survives exec (a comm change); a pid reused by a new process counts from zero.
        const used = before && v.ms >= before.ms ? v.ms - before.ms : v.ms;
        if (used <= 0) continue;
        const g = group(pid, v.comm);
        byGroup.set(g, (byGroup.get(g) ?? 0) + used);
      }
      return { wallMs: performance.now() - startedAt, byGroup };
    },
  };
}
