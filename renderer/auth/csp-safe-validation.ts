/**
 * The console runs under `script-src 'self'` (no eval). zod 4 probes for eval with
 * `new Function('')` the first time it parses an object, to compile faster parsers; under
 * the CSP that probe is blocked and reported as a `securitypolicyviolation` on every page
 * load, which would hide a real injection among false alarms. Tell zod not to try.
 * Imported for its effect, before anything parses (app.tsx).
 */
import { z } from 'zod';

z.config({ jitless: true });
