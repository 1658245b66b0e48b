/**
 * `GET /debug_token?input_token=…`: token introspection (META-API §0). An invalid or expired
 * token is not an HTTP error here: Meta answers 200 with `is_valid:false` and an `error`
 * object inside `data`, which is what lets the exporter report "token expires in N days".
 */
import { errors } from './errors.js';
import type { Json } from './render.js';
import type { SandboxState } from './state.js';
import { SANDBOX_APP_ID, SANDBOX_APP_NAME, SANDBOX_USER_ID } from './types.js';

const SCOPES = ['whatsapp_business_management', 'whatsapp_business_messaging', 'business_management'];

export function debugToken(state: SandboxState, input: string | null): Json {
  if (!input) throw errors.invalidParam('The parameter input_token is required');
  const st = state.tokenStatus(input);
  const data: Json = {
    app_id: SANDBOX_APP_ID,
    type: 'SYSTEM_USER',
    application: SANDBOX_APP_NAME,
    data_access_expires_at: 0,
    expires_at: st.info.expiresAt,
    is_valid: st.state === 'valid',
    issued_at: Math.floor(state.startedAt / 1000),
    scopes: SCOPES,
    granular_scopes: SCOPES.map((scope) => ({ scope })),
    user_id: SANDBOX_USER_ID,
  };
  if (st.state !== 'valid') {
    const err =
      st.state === 'expired'
        ? { code: 190, subcode: 463, message: 'Error validating access token: Session has expired.' }
        : {
            code: 190,
            subcode: 467,
            message: 'Error validating access token: The session is invalid because the user logged out.',
          };
    data.error = err;
  }
  return { data };
}
