import { randomUUID } from 'node:crypto';

import type { DataSource, Repository } from 'typeorm';

import { isUniqueViolation } from '../database/errors';
import { type RowLookup, rowLookup } from '../database/row-lookup';
import { EmailTakenError } from '../graphql/errors';
import { type UserCursor } from './cursor';
import { Role } from './role';
import { User } from './user.entity';

export interface NewUser {
  email: string;
  passwordHash: string;
  name: string | null;
}

export interface UserPage {
  users: User[];
  hasNextPage: boolean;
  totalCount: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The only code that reads and writes users. */
export class UserService {
  private readonly users: Repository<User>;
  private readonly selectById: RowLookup;
  private readonly selectByEmail: RowLookup;

  constructor(private readonly dataSource: DataSource) {
    this.users = dataSource.getRepository(User);

    // Every request that needs its caller reads one row by id. Through `findOneBy`, TypeORM
    // would build and translate a query each time; the two look-ups are written once here,
    // from the entity's own metadata, and their rows turned into users by the driver.
    const quote = (name: string): string => dataSource.driver.escape(name);
    const columns = this.users.metadata.columns.map((column) => quote(column.databaseName));
    const select = `SELECT ${columns.join(', ')} FROM ${quote(this.users.metadata.tableName)}`;
    this.selectById = rowLookup(dataSource, `${select} WHERE ${quote('id')} = ?`);
    this.selectByEmail = rowLookup(dataSource, `${select} WHERE ${quote('email')} = ?`);
  }

  /** The user with this id, or null. Ids that are not UUIDs match nobody. */
  async findById(id: string): Promise<User | null> {
    if (!UUID.test(id)) return null;
    return this.findOne(this.selectById, id.toLowerCase());
  }

  /** The user with this normalized email, or null. */
  findByEmail(email: string): Promise<User | null> {
    return this.findOne(this.selectByEmail, email);
  }

  /**
   * Creates a user. There is no look-up first: the unique index on `email` is the one
   * judge, so that simultaneous signups of one address cannot both succeed.
   */
  async create(newUser: NewUser): Promise<User> {
    const now = new Date();
    const user = this.users.create({
      id: randomUUID(),
      email: newUser.email,
      name: newUser.name,
      passwordHash: newUser.passwordHash,
      role: Role.USER,
      createdAt: now,
      updatedAt: now,
    });
    try {
      await this.users.insert(user);
    } catch (error) {
      if (isUniqueViolation(error)) throw new EmailTakenError();
      throw error;
    }
    return user;
  }

  /** Changes a user's display name and returns the user, or null when there is none. */
  updateName(id: string, name: string | null): Promise<User | null> {
    return this.update(id, { name });
  }

  /** Changes a user's role and returns the user, or null when there is none. */
  setRole(id: string, role: Role): Promise<User | null> {
    return this.update(id, { role });
  }

  /** Replaces a user's password hash, as when it is upgraded to stronger parameters. */
  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.update(id, { passwordHash });
  }

  /** One page of users in creation order (ties broken by id), after `cursor` if given. */
  async page(first: number, after: UserCursor | undefined): Promise<UserPage> {
    const query = this.users
      .createQueryBuilder('user')
      .orderBy('user.createdAt', 'ASC')
      .addOrderBy('user.id', 'ASC')
      .take(first + 1);
    if (after) {
      const createdAt = this.persisted('createdAt', after.createdAt);
      query.where(
        '(user.createdAt > :createdAt OR (user.createdAt = :createdAt AND user.id > :id))',
        {
          createdAt,
          id: after.id,
        },
      );
    }

    const [rows, totalCount] = await Promise.all([query.getMany(), this.users.count()]);
    return { users: rows.slice(0, first), hasNextPage: rows.length > first, totalCount };
  }

  private async findOne(lookup: RowLookup, value: string): Promise<User | null> {
    const row = await lookup(value);
    if (!row) return null;

    const user = new User();
    const fields = user as unknown as Record<string, unknown>;
    for (const column of this.users.metadata.columns) {
      fields[column.propertyName] = this.dataSource.driver.prepareHydratedValue(
        row[column.databaseName],
        column,
      );
    }
    return user;
  }

  private async update(id: string, changes: Partial<User>): Promise<User | null> {
    if (!UUID.test(id)) return null;
    await this.users.update({ id: id.toLowerCase() }, { ...changes, updatedAt: new Date() });
    return this.findById(id);
  }

  // A raw query parameter is not converted the way entity values are, so a date is turned
  // into the column's stored form by the driver before it is compared.
  private persisted(property: keyof User, value: unknown): unknown {
    const column = this.users.metadata.findColumnWithPropertyName(property);
    if (!column) throw new Error(`User has no column for "${property}".`);
    return this.dataSource.driver.preparePersistentValue(value, column);
  }
}
