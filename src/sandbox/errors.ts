/**
 * Meta's error envelope (META-API §6): `{error:{message:"(#code) …", type, code, error_subcode?,
 * is_transient?, fbtrace_id}}`. Every failure the sandbox produces is built here so the wire
 * shape and the HTTP status for a code live in one place. Clients must branch on `code`, never
 * on `message`, so messages only need to be close to Meta's.
 */
export interface GraphErrorBody {
  message: string;
  type: string;
  code: number;
  error_subcode?: number;
  is_transient?: boolean;
  error_user_title?: string;
  error_user_msg?: string;
  fbtrace_id: string;
}

export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly body: Omit<GraphErrorBody, 'fbtrace_id'>,
  ) {
    super(body.message);
    this.name = 'GraphError';
  }
}

let traceSeq = 0;
/** Deterministic, Meta-looking trace ids (no randomness: responses must be reproducible). */
export function fbtraceId(): string {
  traceSeq = (traceSeq + 1) % 1_000_000_000;
  return `A${Buffer.from(`sbx-${traceSeq}`).toString('base64url')}`;
}

export function envelope(err: GraphError): string {
  return JSON.stringify({ error: { ...err.body, fbtrace_id: fbtraceId() } });
}

const oauth = (status: number, code: number, message: string, extra: Partial<GraphErrorBody> = {}) =>
  new GraphError(status, { message: `(#${code}) ${message}`, type: 'OAuthException', code, ...extra });

export const errors = {
  /** 104: no token at all. */
  tokenMissing: () =>
    new GraphError(401, {
      message: 'An access token is required to request this resource.',
      type: 'OAuthException',
      code: 104,
    }),
  /** 190/463: expired. Meta's message carries the expiry time. */
  tokenExpired: (expiredAtS: number, nowS: number) =>
    new GraphError(401, {
      message: `Error validating access token: Session has expired on ${new Date(expiredAtS * 1000).toUTCString()}. The current time is ${new Date(nowS * 1000).toUTCString()}.`,
      type: 'OAuthException',
      code: 190,
      error_subcode: 463,
    }),
  /** 190/467: invalidated (logged out, revoked, or never existed). */
  tokenInvalid: () =>
    new GraphError(401, {
      message: 'Error validating access token: The session is invalid because the user logged out.',
      type: 'OAuthException',
      code: 190,
      error_subcode: 467,
    }),
  /** 100/33: wrong id, unshared WABA, or unsupported operation: Meta does not say which. */
  unknownObject: (id: string, method = 'get') =>
    new GraphError(400, {
      message: `Unsupported ${method} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
      type: 'GraphMethodException',
      code: 100,
      error_subcode: 33,
    }),
  unknownField: (field: string, graphType: string) =>
    oauth(400, 100, `Tried accessing nonexisting field (${field}) on node type (${graphType})`),
  unknownPath: (rest: string) => oauth(400, 2500, `Unknown path components: ${rest}`),
  invalidParam: (message: string) => oauth(400, 100, message),
  invalidCursor: () => oauth(400, 131059, 'Invalid pagination cursor'),
  syntax: (message: string) => oauth(400, 100, message),
  /** 80007: the per-app-per-WABA hourly budget (META-API §5.2). */
  throttled: () => oauth(400, 80007, 'Rate limit issues', { is_transient: true }),
  permission: () => oauth(403, 200, 'Requires whatsapp_business_management permission to manage the object'),
  /** 1 "unknown error" / 2 "service temporarily unavailable": both transient. */
  transient: (code: 1 | 2) =>
    oauth(500, code, code === 1 ? 'An unknown error occurred' : 'Service temporarily unavailable', {
      is_transient: true,
    }),
  batchTooLarge: (max: number) => oauth(400, 100, `Too many requests in batch message. Maximum batch size is ${max}`),
};
