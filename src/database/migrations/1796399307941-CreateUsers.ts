import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

/**
 * Creates `users`. Written with TypeORM's table API rather than generated SQL, so that the
 * same migration runs on MySQL and on SQLite.
 */
export class CreateUsers1796399307941 implements MigrationInterface {
  name = 'CreateUsers1796399307941';

  async up(queryRunner: QueryRunner): Promise<void> {
    const mysql = ['mysql', 'mariadb'].includes(queryRunner.connection.driver.options.type);

    await queryRunner.createTable(
      new Table({
        name: 'users',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          {
            name: 'email',
            type: 'varchar',
            length: '254',
            // MySQL's and MariaDB's default collations ignore case and accents, which would
            // make "josé" and "jose" one account. A binary collation compares exactly, as
            // SQLite does by default. Emails are lower-cased before they are stored.
            ...(mysql ? { charset: 'utf8mb4', collation: 'utf8mb4_bin' } : {}),
          },
          {
            name: 'name',
            type: 'varchar',
            length: '100',
            isNullable: true,
            // Names hold any character, emoji included, whatever the database's default.
            ...(mysql ? { charset: 'utf8mb4' } : {}),
          },
          { name: 'password_hash', type: 'varchar', length: '255' },
          { name: 'role', type: 'varchar', length: '16', default: "'USER'" },
          { name: 'created_at', type: 'datetime', precision: 3 },
          { name: 'updated_at', type: 'datetime', precision: 3 },
        ],
      }),
    );
    await queryRunner.createIndex(
      'users',
      new TableIndex({ name: 'users_email_unique', columnNames: ['email'], isUnique: true }),
    );
    // The order in which `users` pages through accounts.
    await queryRunner.createIndex(
      'users',
      new TableIndex({ name: 'users_created_at_id', columnNames: ['created_at', 'id'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('users');
  }
}
