import express from 'express';
import type { FaultInjector } from './faults.js';
import type { SandboxWallet } from './wallet.js';

/**
 * Billing endpoints of the sandbox: a generic wallet (`GET /wallet/v1/balance`), a list of wallets
 * (`GET /wallet/v1/wallets`, one per portfolio, for bulk accounts), Twilio's
 * documented Balance.json shape, and the statement as JSON or CSV. Faults from the shared
 * injector apply (match on the path), so the billing contract suite can break them.
 */
export function walletRouter(
  wallet: SandboxWallet,
  faults: FaultInjector,
  businessIds: () => readonly string[] = () => [],
): express.Router {
  const r = express.Router();
  r.use(async (req, res, next) => {
    // Only billing paths take billing faults; Graph requests pass through untouched.
    if (!/^\/(wallet|2010-04-01)\//.test(req.path)) return next();
    const f = faults.take(req.originalUrl, false);
    if (!f) return next();
    if (f.delayMs || f.kind === 'slow') await new Promise((ok) => setTimeout(ok, f.delayMs ?? 2_000));
    switch (f.kind) {
      case 'http_5xx':
        return void res.status(503).json({ error: 'service unavailable' });
      case 'html':
        return void res.status(502).type('html').send('<html><body><h1>502 Bad Gateway</h1></body></html>');
      case 'timeout':
        return; // never answer
      case 'permission':
      case 'token_expired':
        return void res.status(401).json({ code: 20003, message: 'Authenticate', status: 401 });
      case 'truncated':
        return void res.type('json').send('{"balance": "12');
      default:
        return next();
    }
  });
  const balance = () => {
    const m = wallet.balanceMicros();
    return (Number(m) / 1e6).toFixed(2);
  };
  r.get('/wallet/v1/balance', (_req, res) => void res.json({ balance: balance(), currency: wallet.currency }));
  // A BSP's billing system listing one wallet per client portfolio (bulk wallets, docs/billing.md):
  // the simulated wallet's balance, shared out evenly, so each moves as the wallet burns.
  r.get('/wallet/v1/wallets', (_req, res) => {
    const ids = businessIds();
    const each = (Number(wallet.balanceMicros()) / 1e6 / Math.max(1, ids.length)).toFixed(2);
    res.json({
      data: {
        wallets: ids.map((business_id, i) => ({
          id: `wallet-${i + 1}`,
          business_id,
          balance: each,
          currency: wallet.currency,
        })),
      },
    });
  });
  r.get(
    '/2010-04-01/Accounts/:sid/Balance.json',
    (req, res) => void res.json({ account_sid: req.params.sid, balance: balance(), currency: wallet.currency }),
  );
  r.get('/wallet/v1/statement', (req, res) => {
    const rows = wallet.statement();
    if (req.query.format !== 'csv') return void res.json({ rows });
    const head = 'id,date,type,amount,currency,category,balance';
    res
      .type('text/csv')
      .send(
        `${[
          head,
          ...rows.map((x) => [x.id, x.date, x.type, x.amount, x.currency, x.category, x.balance].join(',')),
        ].join('\n')}\n`,
      );
  });
  return r;
}

/** Control: top up and set the balance (for tests and the end-to-end scenario). */
export function walletControl(wallet: SandboxWallet): express.Router {
  const r = express.Router();
  r.use(express.json());
  r.post('/topup', (req, res) => {
    const amount = Number((req.body as { amount?: unknown })?.amount);
    if (!Number.isFinite(amount) || amount <= 0)
      return void res.status(400).json({ error: 'amount must be a positive number' });
    wallet.topUp(amount);
    res.json({ balance: Number(wallet.balanceMicros()) / 1e6 });
  });
  r.post('/balance', (req, res) => {
    const balance = Number((req.body as { balance?: unknown })?.balance);
    if (!Number.isFinite(balance)) return void res.status(400).json({ error: 'balance must be a number' });
    wallet.setBalance(balance);
    res.json({ balance: Number(wallet.balanceMicros()) / 1e6 });
  });
  r.get(
    '/',
    (_req, res) => void res.json({ balance: Number(wallet.balanceMicros()) / 1e6, currency: wallet.currency }),
  );
  return r;
}
