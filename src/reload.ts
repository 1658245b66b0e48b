import type { Logger } from 'pino';
import type { Config } from './config/config.js';
import { fingerprint } from './config/fingerprint.js';

/** Settings that are read once at start; a reload that changes them says so and keeps the old value. */
const RESTART_ONLY = ['graph', 'web', 'storage', 'mode'] as const;

export interface ReloadDeps {
  /** Loads and validates the configuration again (throws ConfigError on a bad file). */
  load: () => Config;
  /** Everything that must happen for a new config to take effect; throws to reject it. */
  apply: (next: Config) => void;
  current: () => Config;
  logger: Logger;
  onResult: (ok: boolean) => void;
}

/**
 * SIGHUP / POST /-/reload, the Prometheus convention. A bad new config is rejected with a clear
 * log line and the running one stays; whatsapp_exporter_config_last_reload_successful says which.
 */
export function makeReloader(d: ReloadDeps): () => { ok: boolean; error?: string } {
  return () => {
    let next: Config;
    try {
      next = d.load();
      const cur = d.current();
      const kept: Record<string, unknown> = {};
      for (const k of RESTART_ONLY) {
        if (fingerprint(next[k]) !== fingerprint(cur[k])) {
          d.logger.warn({ key: k }, 'config reload: this section only changes on restart; keeping the running value');
          kept[k] = cur[k];
        }
      }
      next = Object.freeze({ ...next, ...kept }) as Config;
      d.apply(next);
    } catch (err) {
      d.onResult(false);
      const error = (err as Error).message;
      d.logger.error({ err: error }, 'config reload failed: keeping the running configuration');
      return { ok: false, error };
    }
    d.onResult(true);
    d.logger.info('configuration reloaded');
    return { ok: true };
  };
}
