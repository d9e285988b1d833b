import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { Field, ID, ObjectType } from 'type-graphql';

import { Role } from './role';

/**
 * A user account: the row in `users` and the `User` type of the schema at once. Only the
 * properties marked with `@Field` reach the schema.
 */
// The indexes and the role default match the migration, so that a generated migration finds
// nothing to change. The email column's binary collation on MySQL lives in the migration
// only: SQLite has no such collation, and compares exactly already.
@Entity({ name: 'users' })
@Index('users_email_unique', ['email'], { unique: true })
@Index('users_created_at_id', ['createdAt', 'id'])
// Simple resolvers: these fields are plain properties with no rule of their own, so they
// skip type-graphql's per-field middleware; who may reach a user is decided above them.
@ObjectType({ description: 'A user account.', simpleResolvers: true })
export class User {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  @Field(() => ID, { description: 'An opaque, stable identifier.' })
  id!: string;

  @Column({ type: 'varchar', length: 254 })
  @Field(() => String, { description: 'Trimmed and lower-cased; unique.' })
  email!: string;

  @Column({ type: 'varchar', length: 100, nullable: true })
  @Field(() => String, { nullable: true, description: 'A display name, if the user gave one.' })
  name!: string | null;

  // The hash stays server-side: it has no @Field, so no query can ever select it, and
  // leaking it would let anyone test password guesses offline.
  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash!: string;

  @Column({ type: 'varchar', length: 16, default: Role.USER })
  @Field(() => Role, { description: 'The role the server enforces now.' })
  role!: Role;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  @Field(() => Date, { description: 'When the account was created, in UTC.' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;
}
