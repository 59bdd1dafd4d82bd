/**
 * AquaMind's domain facts: what the app itself means by a safe reading, a ring due for treatment
 * and a feed container due for a re-order. They live in core, not with the engine's knobs
 * (./tuning.ts), because the farm is generated to them and the checks (src/verify) judge the rows
 * by them: a check that read the generator's settings would only confirm the generator.
 */

/**
 * Safe ranges of the sensors an incident drives out of range (AquaMind's Phase-2 parameter set,
 * engine notes §2.2): dissolved oxygen 80-100 %, temperature 4-16 °C in freshwater and 6-18 °C at
 * sea. Routine readings stay inside them.
 */
export const SENSOR_SAFE_RANGE = {
  oxygenPercent: { min: 80, max: 100 },
  temperatureC: { freshwater: { min: 4, max: 16 }, sea: { min: 6, max: 18 } },
} as const;

/**
 * Adult female L. salmonis per fish at which a ring is treated. The AquaMind notes give no figure;
 * routine counts never reach it (they peak near 1.6), so a count above it is an outbreak.
 */
export const LICE_TREATMENT_THRESHOLD = 2;

/** The re-order level: a feed's stock in a feed container below this share of its capacity is re-ordered (AquaMind's rule). */
export const REORDER_BELOW_SHARE = 0.2;

/**
 * The superuser AquaMind's own tooling documents and expects: `scripts/create_admin_user.py` and
 * `docs/TEST_DEPLOYMENT_GUIDE.md` create `admin` / `admin123`, its generator requires an `admin`
 * user, and its test suites log in with these credentials. The farm's users log in with this
 * password unless a preset or seedFarm option gives another (`adminPassword`).
 */
export const AQUAMIND_ADMIN = { username: 'admin', password: 'admin123', email: 'admin@aquamind.test' } as const;

/**
 * Django's password hasher as AquaMind (Django 4.2) runs it: PBKDF2-SHA256 with 600,000
 * iterations and a 32-byte key. A hash with fewer iterations would be upgraded (saved again) at
 * the first login, a write a test did not make.
 */
export const DJANGO_PBKDF2 = { algorithm: 'pbkdf2_sha256', iterations: 600_000, keyLength: 32, digest: 'sha256', saltLength: 22 } as const;
