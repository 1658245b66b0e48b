/** The plain landing page with links, in the style of Prometheus exporters. */
export function landingPage(telemetryPath: string, version: string, mode: string): string {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>WhatsApp Business Exporter</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem">
<h1>WhatsApp Business Exporter</h1>
<p>Version ${esc(version)}${mode === 'sandbox' ? ' &middot; <strong>sandbox mode</strong> (simulated Graph API, no Meta credentials set)' : ''}</p>
<ul>
<li><a href="${esc(telemetryPath)}">Metrics</a></li>
<li><a href="-/healthy">Health</a> &middot; <a href="-/ready">Readiness</a></li>
</ul>
</body></html>
`;
}
