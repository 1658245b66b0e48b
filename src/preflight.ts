import { accessSync, constants, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRateCard } from './billing/rate-card.js';
import type { Config } from './config/config.js';
import type { ConfigIssue } from './config/errors.js';
import { makeDirs } from './state/dir.js';

/**
 * What start needs beyond a valid file: the checks `check-config` and startExporter share, so a
 * configuration check-config calls OK cannot fail to start for a reason it could have seen. Each
 * issue names the key, and the command-line flag that sets it when there is one. Messages carry
 * error codes and the configured paths, never file contents.
 */
export function preflight(c: Config): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const listen = listenIssue(c.web.listenAddress);
  if (listen) issues.push({ path: 'web.listen_address (--web.listen-address)', message: listen });
  const storage = storageIssue(c.storage.path);
  if (storage) issues.push({ path: 'storage.path (--storage.path)', message: storage });
  const card = c.billing.rateCardFile;
  if (card !== undefined) {
    try {
      loadRateCard(card);
    } catch (err) {
      issues.push({ path: 'billing.rate_card.file', message: `cannot load the rate card ${card}: ${reason(err)}` });
    }
  }
  return issues;
}

/** Files start does not need but a refresh will read (a statement file may appear later): warnings. */
export function preflightWarnings(c: Config): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  c.billing.accounts.forEach((a, i) => {
    const file = a.statement?.file;
    if (file === undefined) return;
    try {
      readFileSync(file);
    } catch (err) {
      out.push({ path: `billing.accounts[${i}].statement.file`, message: `cannot read ${file} yet: ${reason(err)}` });
    }
  });
  return out;
}

/** ":9914", "127.0.0.1:9914", "[::1]:9914": the schema checks the shape, this the port's range. */
function listenIssue(addr: string): string | undefined {
  const port = Number(addr.slice(addr.lastIndexOf(':') + 1));
  return Number.isInteger(port) && port >= 0 && port <= 65535
    ? undefined
    : `port must be 0 to 65535 (got ${JSON.stringify(addr)})`;
}

/** The directory exists or can be made, and a file can be created in it. */
function storageIssue(dir: string): string | undefined {
  try {
    makeDirs(dir);
    if (!statSync(dir).isDirectory()) return `${dir} is not a directory`;
    accessSync(dir, constants.W_OK);
    const probe = join(dir, `.write-probe-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe);
    return undefined;
  } catch (err) {
    return `cannot use ${dir} for the state DBs: ${reason(err)}`;
  }
}

function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  return code ?? (err as Error).message ?? String(err);
}
