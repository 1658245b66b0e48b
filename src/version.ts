import { createRequire } from 'node:module';

/** Version from package.json (works from src/ under tsx and from dist/); revision from the build env. */
const pkg = createRequire(import.meta.url)('../package.json') as { version: string };
export const VERSION: string = pkg.version;
export const REVISION: string = process.env.WHATSAPP_EXPORTER_REVISION ?? 'unknown';
