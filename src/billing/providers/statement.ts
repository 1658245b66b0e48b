import { z } from 'zod';
import { accountFields, statementSection } from './options.js';
import { statementOnlyProvider } from './provider.js';

/**
 * No balance API: only the statement (ledger) is polled, and the balance shown is the running
 * balance of its newest row. The statement section is therefore required.
 */
const schema = z.strictObject({
  provider: z.literal('statement'),
  ...accountFields,
  statement: statementSection('provider statement needs a statement section (file or url)'),
});

export const statement = statementOnlyProvider(schema);
