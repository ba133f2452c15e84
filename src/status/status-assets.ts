import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The status page is static: one HTML page, one script and one stylesheet,
 * served as written (no build step) and read once when the node starts.
 * `npm run build` copies the folder next to the compiled code.
 */
const ASSETS = join(__dirname, 'assets');

export const STATUS_PAGE = {
  html: readFileSync(join(ASSETS, 'index.html'), 'utf8'),
  script: readFileSync(join(ASSETS, 'app.js'), 'utf8'),
  style: readFileSync(join(ASSETS, 'style.css'), 'utf8'),
};

/** Only this origin's script and style: no inline script or style, no other host. */
export const STATUS_CSP = "default-src 'self'";
