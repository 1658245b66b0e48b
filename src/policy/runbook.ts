/** Where the alert runbook lives: alert annotations, dashboard links and docs point here. */
export const RUNBOOK_BASE_URL =
  'https://github.com/whatsapp-business-exporter/whatsapp-business-exporter/blob/main/alerts/runbook.md';

/** The runbook, or one alert's section of it (GitHub lower-cases heading anchors). */
export function runbookUrl(alert?: string): string {
  return alert ? `${RUNBOOK_BASE_URL}#${alert.toLowerCase()}` : RUNBOOK_BASE_URL;
}
