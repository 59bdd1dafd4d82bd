/**
 * auth_user and users_userprofile: the superuser `admin` that AquaMind's own scripts and guides
 * create and its tests log in as (src/core/domain.ts AQUAMIND_ADMIN), the test users of AquaMind's
 * PRE master data, and `system_admin`, whom the engine acts as. Every user's password is the
 * farm's `adminPassword` (default `admin123`), stored as Django stores it: PBKDF2-SHA256 with
 * 600,000 iterations and a salt derived from the schedule seed, so a farm is byte-identical
 * however often it is built and a login checks as Django's `check_password` does.
 *
 * ID order: system_admin, admin, operator_01, vet_01, manager_01 (profiles likewise).
 */
import { createHash, pbkdf2Sync } from 'node:crypto';
import type { RowSink } from '../rows/sink.js';
import type { FarmModel } from '../core/model.js';
import { auditStamp } from '../rows/audit.js';
import { AQUAMIND_ADMIN, DJANGO_PBKDF2 } from '../core/domain.js';

type Role = 'ADMIN' | 'MGR' | 'OPR' | 'VET';

interface UserSpec {
  username: string;
  firstName: string;
  lastName: string;
  email: string;
  /** Staff and superuser: the administrators can use Django's admin. */
  isAdmin: boolean;
  role: Role;
  jobTitle: string;
  department: string;
}

const USERS: readonly UserSpec[] = [
  { username: 'system_admin', firstName: 'System', lastName: 'Administrator', email: 'system_admin@aquamind.test', isAdmin: true, role: 'ADMIN', jobTitle: 'System Administrator', department: 'IT' },
  { username: AQUAMIND_ADMIN.username, firstName: 'Admin', lastName: 'User', email: AQUAMIND_ADMIN.email, isAdmin: true, role: 'ADMIN', jobTitle: 'Planning Administrator', department: 'Operations' },
  { username: 'operator_01', firstName: 'Farm', lastName: 'Operator', email: 'operator@aquamind.test', isAdmin: false, role: 'OPR', jobTitle: 'Farm Operator', department: 'Operations' },
  { username: 'vet_01', firstName: 'Dr. Sarah', lastName: 'Johnson', email: 'vet@aquamind.test', isAdmin: false, role: 'VET', jobTitle: 'Veterinarian', department: 'Fish Health' },
  { username: 'manager_01', firstName: 'John', lastName: 'Manager', email: 'manager@aquamind.test', isAdmin: false, role: 'MGR', jobTitle: 'Farm Manager', department: 'Management' },
];

function userId(username: string): number {
  const index = USERS.findIndex((u) => u.username === username);
  if (index < 0) throw new RangeError(`unknown user ${username}`);
  return index + 1;
}

/** The farm's users: who the engine acts as, who plans, and the password they log in with. */
export function buildUsers(seed: string, password: string = AQUAMIND_ADMIN.password): FarmModel['users'] {
  return { systemAdminId: userId('system_admin'), adminId: userId(AQUAMIND_ADMIN.username), password, passwordSalt: passwordSalt(seed) };
}

const SALT_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A Django-style salt (22 letters and digits) derived from the schedule seed: no randomness, one per farm. */
export function passwordSalt(seed: string): string {
  const digest = createHash('sha256').update(`aquaseed auth_user salt\0${seed}`).digest();
  let salt = '';
  for (let i = 0; i < DJANGO_PBKDF2.saltLength; i++) salt += SALT_ALPHABET[digest[i]! % SALT_ALPHABET.length];
  return salt;
}

const HASHES = new Map<string, string>();

/**
 * Django's encoded PBKDF2PasswordHasher hash, `pbkdf2_sha256$600000$<salt>$<base64 key>`. Computed
 * when the users are written (≈0.2 s of CPU), once per password and salt in a process.
 */
export function djangoPasswordHash(password: string, salt: string): string {
  const memo = `${salt}\0${password}`;
  let hash = HASHES.get(memo);
  if (hash === undefined) {
    const { algorithm, iterations, keyLength, digest } = DJANGO_PBKDF2;
    const key = pbkdf2Sync(password, salt, iterations, keyLength, digest).toString('base64');
    hash = `${algorithm}$${iterations}$${salt}$${key}`;
    HASHES.set(memo, hash);
  }
  return hash;
}

/** auth_user and users_userprofile (one profile per user, as AquaMind's post_save signal makes) */
export function emitUsers(farm: FarmModel, sink: RowSink): void {
  if (farm.users.systemAdminId !== userId('system_admin') || farm.users.adminId !== userId(AQUAMIND_ADMIN.username)) {
    throw new RangeError('farm.users does not match the user catalogue');
  }
  const stamp = auditStamp(farm.establishedOn);
  const password = djangoPasswordHash(farm.users.password, farm.users.passwordSalt);
  USERS.forEach((user, index) => {
    sink.emit('auth_user', {
      id: index + 1,
      password,
      last_login: null,
      is_superuser: user.isAdmin,
      username: user.username,
      first_name: user.firstName,
      last_name: user.lastName,
      email: user.email,
      is_staff: user.isAdmin,
      is_active: true,
      date_joined: stamp.created_at,
    });
  });
  USERS.forEach((user, index) => {
    sink.emit('users_userprofile', {
      id: index + 1,
      profile_picture: null,
      job_title: user.jobTitle,
      department: user.department,
      language_preference: 'en',
      date_format_preference: 'DMY',
      ...stamp,
      user_id: index + 1,
      full_name: `${user.firstName} ${user.lastName}`,
      geography: 'ALL',
      phone: null,
      role: user.role,
      subsidiary: 'ALL',
    });
  });
}
