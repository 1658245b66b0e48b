import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

export interface Child {
  proc: ChildProcess;
  /** The first JSON log line that satisfied the wait predicate. */
  line: Record<string, unknown>;
}

/**
 * Starts the built CLI (`node dist/cli.js …`, what users run; `npm run bench` builds it first) and
 * resolves once a JSON log line matches. Running from source under tsx would add ~35 MB of loader
 * memory that the product does not have.
 */
export function startCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  until: (l: Record<string, unknown>) => boolean,
  timeoutMs = 120_000,
): Promise<Child> {
  const proc = spawn(
    process.execPath,
    [
      ...(env.NODE_HEAP ? [`--max-old-space-size=${env.NODE_HEAP}`] : []),
      ...(env.NODE_V8_FLAGS ? env.NODE_V8_FLAGS.split(/\s+/).filter(Boolean) : []),
      'dist/cli.js',
      ...args,
    ],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timeout waiting for ${args.join(' ')}`)), timeoutMs);
    proc.once('exit', (code) => reject(new Error(`${args[0] ?? 'exporter'} exited with ${code}`)));
    createInterface({ input: proc.stdout! }).on('line', (text) => {
      let l: Record<string, unknown>;
      try {
        l = JSON.parse(text) as Record<string, unknown>;
      } catch {
        return;
      }
      if (until(l)) {
        clearTimeout(timer);
        resolve({ proc, line: l });
      }
    });
  });
}

/** Peak resident set size of a process, from the kernel's high-water mark. */
export function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

export function stop(c: Child | undefined): void {
  if (c && c.proc.exitCode === null) {
    c.proc.removeAllListeners('exit');
    c.proc.kill('SIGKILL');
  }
}
