/** Every dashboard, in one explicit table: the generator writes each to dashboards/<file>. */
import { billing } from './billing.js';
import { delivery } from './delivery.js';
import { exporter } from './exporter.js';
import { overview } from './overview.js';
import { phoneNumber } from './phone-number.js';

export interface DashboardEntry {
  file: string;
  build: () => unknown;
}

export const DASHBOARDS: readonly DashboardEntry[] = [
  { file: 'whatsapp-overview.json', build: overview },
  { file: 'whatsapp-phone-number.json', build: phoneNumber },
  { file: 'whatsapp-billing.json', build: billing },
  { file: 'whatsapp-delivery.json', build: delivery },
  { file: 'whatsapp-exporter.json', build: exporter },
];

/** The exact bytes the generator writes (and the test compares with the committed file). */
export function render(entry: DashboardEntry): string {
  return `${JSON.stringify(entry.build(), null, 2)}\n`;
}
