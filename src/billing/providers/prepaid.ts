import { quote } from '../balance.js';
import { BillingError } from '../errors.js';
import { getPath } from '../json-path.js';

/**
 * Providers that say in the answer whether the account is prepaid (MessageBird `payment`, Plivo
 * `billing_mode`): only a prepaid account has money left to read. A postpaid account's figure is
 * a placeholder (MessageBird documents 0) or not what stops sending, so it is a failure with a
 * reason, never a reading that would page as an empty wallet.
 */
export function requirePrepaid(provider: string, json: unknown, path: string): void {
  const mode = getPath(json, path);
  if (mode === undefined || mode === null)
    throw new BillingError(`no ${path} (prepaid or postpaid) in the answer`, provider, 'missing_field');
  if (mode !== 'prepaid')
    throw new BillingError(
      `${path} is ${quote(mode)}: only a prepaid account has a balance`,
      provider,
      'upstream_error',
    );
}
