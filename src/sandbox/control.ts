/**
 * `/_sandbox/*`: the control API for tests that run the sandbox in another process (the e2e
 * suite, the bench). No auth, not counted in stats, not subject to faults. Every lever on
 * SandboxState and FaultInjector has a route here.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { faultSpecSchema } from './faults.js';
import type { SandboxContext } from './graph.js';

const patchSchema = z.record(z.string(), z.unknown());
const limitSchema = z.object({ tier: z.string().min(1) });
const templateSchema = z
  .object({ waba_id: z.string(), name: z.string(), language: z.string(), status: z.string().optional() })
  .catchall(z.unknown());
const tokenSchema = z.object({
  token: z.string().min(1),
  valid: z.boolean().optional(),
  expires_at: z.number().optional(),
});
const wabaRefSchema = z.object({ waba_id: z.string() });
const businessRefSchema = z.object({ business_id: z.string() });
const allocationsSchema = z.object({
  count: z.number().int().min(1).max(10_000),
  amount_in_hundredths: z.number().int().optional(),
});

export function controlRouter(ctx: SandboxContext): express.Router {
  const r = express.Router();
  const { state, faults, stats, usage } = ctx;
  r.use(express.json({ limit: '1mb' }));

  r.get('/stats', (_req, res) => void res.json(stats.toJSON()));
  r.post('/stats/reset', (_req, res) => {
    stats.reset();
    res.json(stats.toJSON());
  });
  r.post('/usage/reset', (_req, res) => {
    usage.reset();
    res.json({ ok: true });
  });

  r.get('/faults', (_req, res) => void res.json(faults.list()));
  r.post('/faults', (req, res) => void res.status(201).json({ id: faults.add(faultSpecSchema.parse(req.body)) }));
  r.delete('/faults', (_req, res) => {
    faults.clear();
    res.status(204).end();
  });
  r.delete('/faults/:id', (req, res) => void res.status(faults.remove(req.params.id) ? 204 : 404).end());

  r.get('/state', (_req, res) => void res.json(state.summary()));
  r.post('/phones/:id', (req, res) => ok(res, () => state.updatePhone(req.params.id, patchSchema.parse(req.body))));
  r.post('/phones/:id/duplicate', (req, res) =>
    ok(res, () => state.duplicatePhone(req.params.id, wabaRefSchema.parse(req.body).waba_id)),
  );
  r.post('/wabas/:id', (req, res) => ok(res, () => state.updateWaba(req.params.id, patchSchema.parse(req.body))));
  r.post('/wabas/:id/remove', (req, res) => ok(res, () => state.removeWaba(req.params.id)));
  r.post('/wabas/:id/restore', (req, res) => ok(res, () => state.restoreWaba(req.params.id)));
  r.post('/wabas/:id/share', (req, res) =>
    ok(res, () => state.shareWabaAsClient(req.params.id, businessRefSchema.parse(req.body).business_id)),
  );
  r.post('/businesses/:id/limit', (req, res) =>
    ok(res, () => state.setBusinessLimit(req.params.id, limitSchema.parse(req.body).tier)),
  );
  r.post('/templates', (req, res) =>
    ok(res, () => {
      const { waba_id, name, language, ...patch } = templateSchema.parse(req.body);
      state.updateTemplate(waba_id, name, language, patch);
    }),
  );
  r.post('/businesses/:id/credit-lines', (req, res) => okWith(res, () => ({ id: state.addCreditLine(req.params.id) })));
  r.post('/credit-lines/:id', (req, res) =>
    ok(res, () => state.updateCreditLine(req.params.id, patchSchema.parse(req.body))),
  );
  r.post('/credit-lines/:id/remove', (req, res) => ok(res, () => state.removeCreditLine(req.params.id)));
  r.post('/credit-lines/:id/allocations', (req, res) =>
    okWith(res, () => {
      const a = allocationsSchema.parse(req.body);
      return { ids: state.addAllocations(req.params.id, a.count, a.amount_in_hundredths) };
    }),
  );
  r.post('/allocations/:id', (req, res) =>
    ok(res, () => state.updateAllocation(req.params.id, patchSchema.parse(req.body))),
  );
  r.post('/tokens', (req, res) =>
    ok(res, () => {
      const t = tokenSchema.parse(req.body);
      state.setToken(t.token, { valid: t.valid, expiresAt: t.expires_at });
    }),
  );

  r.use((_req, res) => void res.status(404).json({ error: 'no such sandbox control route' }));
  r.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = err instanceof z.ZodError || (err as { status?: number }).status === 400 ? 400 : 500;
    res.status(status).json({ error: err instanceof Error ? err.message : String(err) });
  });
  return r;
}

/** Runs a state mutation; the state throws on unknown ids, which is a 404 for the caller. */
function ok(res: Response, fn: () => void): void {
  okWith(res, () => {
    fn();
    return { ok: true };
  });
}

/** A state mutation that answers with what it made (new ids). */
function okWith(res: Response, fn: () => unknown): void {
  try {
    res.json(fn());
  } catch (e) {
    if (e instanceof z.ZodError) throw e;
    res.status(404).json({ error: e instanceof Error ? e.message : String(e) });
  }
}
