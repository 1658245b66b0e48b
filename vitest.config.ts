import { defineConfig } from 'vitest/config';

// Tests start real HTTP servers and real Prometheus binaries on 127.0.0.1, so they get
// generous timeouts; nothing in the suite measures speed (that is `npm run bench`).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
