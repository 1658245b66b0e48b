import { graphCredential } from '../credentials.js';
import { TOKEN } from '../keys.js';
import type { FetchResult, SourceDef } from '../types.js';
import { GraphError, parseError } from './errors.js';
import type { TokenData } from './model.js';
import { parseDebugToken } from './parse.js';

/**
 * graph_token: token introspection with debug_token. The token is debug_token's input_token; the
 * client sends the call as a batch of one (getDirect), so it travels in a POST body, never in a URL
 * a proxy or an access log could record. A 190 answer is not a failed refresh: it is the finding
 * "this token is invalid" (valid = 0).
 */
export const tokenSource: SourceDef<TokenData> = {
  key: TOKEN,
  traits: { shard: { credential: 'shard_one' }, usageFeedback: true },
  settings: (config) => config.sources.graph_token,
  targets(ctx) {
    return ctx.config.credentials.map((c) => ({ id: c.name, kind: 'credential', credential: c }));
  },
  async fetch(ctx, target, previous): Promise<FetchResult<TokenData>> {
    const token = graphCredential(target).accessToken.reveal();
    const caller = (graphCredential(target).appToken ?? graphCredential(target).accessToken).reveal();
    try {
      const raw = await ctx.graph.getDirect(caller, {
        path: 'debug_token',
        params: { input_token: token },
        endpoint: 'debug_token',
      });
      const data = parseDebugToken(raw, target.id);
      if (!data) throw parseError('debug_token', 200, 'no data.is_valid in debug_token answer');
      return { data, unknown: [] };
    } catch (err) {
      if (err instanceof GraphError && err.reason === 'auth' && !graphCredential(target).appToken) {
        return { data: { credential: target.id, valid: false, expiresAt: previous?.expiresAt }, unknown: [] };
      }
      throw err;
    }
  },
};
