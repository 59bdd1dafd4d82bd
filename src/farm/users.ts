/**
 * auth_user and users_userprofile: the test users of AquaMind's PRE master data, plus `admin`,
 * whom AquaMind's planned-activity seeding completes activities as. The engine acts as system_admin.
 *
 * ID order: system_admin, admin, operator_01, vet_01, manager_01 (profiles likewise).
 */
import type { RowSink } from '../rows/sink.js';
import type { FarmModel } from '../core/model.js';
import { auditStamp } from '../rows/audit.js';

export const PASSWORD = 'aquamind2024';

/**
 * Django's hash of PASSWORD (PBKDF2-SHA256, Django 4.2's 600,000 iterations, 32-byte key), computed
 * once with node:crypto and a fixed 22-character salt so every farm is identical and users can
 * log in. All users share it. Recompute with:
 * `crypto.pbkdf2Sync('aquamind2024', 'aquaseedFarmSalt2024v1', 600000, 32, 'sha256').toString('base64')`.
 */
export const PASSWORD_HASH = 'pbkdf2_sha256$600000$aquaseedFarmSalt2024v1$Z1zg9UGccikX9e4CGJQh9obDNVLAekMw58Xr2NOZpLY=';

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
  { username: 'system_admin', firstName: 'System', lastName: 'Administrator', email: 'admin@aquamind.test', isAdmin: true, role: 'ADMIN', jobTitle: 'System Administrator', department: 'IT' },
  { username: 'admin', firstName: 'Admin', lastName: 'User', email: 'admin.user@aquamind.test', isAdmin: true, role: 'ADMIN', jobTitle: 'Planning Administrator', department: 'Operations' },
  { username: 'operator_01', firstName: 'Farm', lastName: 'Operator', email: 'operator@aquamind.test', isAdmin: false, role: 'OPR', jobTitle: 'Farm Operator', department: 'Operations' },
  { username: 'vet_01', firstName: 'Dr. Sarah', lastName: 'Johnson', email: 'vet@aquamind.test', isAdmin: false, role: 'VET', jobTitle: 'Veterinarian', department: 'Fish Health' },
  { username: 'manager_01', firstName: 'John', lastName: 'Manager', email: 'manager@aquamind.test', isAdmin: false, role: 'MGR', jobTitle: 'Farm Manager', department: 'Management' },
];

function userId(username: string): number {
  const index = USERS.findIndex((u) => u.username === username);
  if (index < 0) throw new RangeError(`unknown user ${username}`);
  return index + 1;
}

export function buildUsers(): FarmModel['users'] {
  return { systemAdminId: userId('system_admin'), adminId: userId('admin') };
}

/** auth_user and users_userprofile (one profile per user, as AquaMind's post_save signal makes) */
export function emitUsers(farm: FarmModel, sink: RowSink): void {
  const expected = buildUsers();
  if (farm.users.systemAdminId !== expected.systemAdminId || farm.users.adminId !== expected.adminId) {
    throw new RangeError('farm.users does not match the user catalogue');
  }
  const stamp = auditStamp(farm.establishedOn);
  USERS.forEach((user, index) => {
    sink.emit('auth_user', {
      id: index + 1,
      password: PASSWORD_HASH,
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
