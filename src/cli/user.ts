import 'reflect-metadata';

import { ConfigError, loadDatabaseConfig } from '../config';
import { createDataSource } from '../database/data-source';
import { normalizeEmail } from '../auth/credentials';
import { parseRole } from '../users/role';
import { UserService } from '../users/user.service';

const USAGE = 'Usage: npm run user -- set-role <email> <USER|ADMIN>';

// Operator commands on the configured database, such as making the first admin.
async function main(args: string[]): Promise<number> {
  const [command, rawEmail, rawRole, ...rest] = args;
  if (
    command !== 'set-role' ||
    rawEmail === undefined ||
    rawRole === undefined ||
    rest.length > 0
  ) {
    console.error(USAGE);
    return 2;
  }
  const role = parseRole(rawRole.toUpperCase());
  if (role === undefined) {
    console.error(`Unknown role "${rawRole}". ${USAGE}`);
    return 2;
  }
  let email: string;
  try {
    email = normalizeEmail(rawEmail);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 2;
  }

  const config = loadDatabaseConfig();
  const dataSource = createDataSource(config.database);
  await dataSource.initialize();
  try {
    // Migrating is the server's job: a mistyped DATABASE_URL should fail here, not quietly
    // become a new, empty database.
    if (await dataSource.showMigrations()) {
      console.error(
        'The database has pending migrations: start the server once, or check DATABASE_URL.',
      );
      return 1;
    }
    const users = new UserService(dataSource);
    const user = await users.findByEmail(email);
    if (!user) {
      console.error(`No user has the email "${email}".`);
      return 1;
    }
    await users.setRole(user.id, role);
    console.log(`${email} is now ${role}. It counts from their next request on.`);
    return 0;
  } finally {
    await dataSource.destroy();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  },
);
