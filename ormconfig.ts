import 'reflect-metadata';

import { loadDatabaseConfig } from './src/config';
import { createDataSource } from './src/database/data-source';

/**
 * The DataSource of the configured database, for the TypeORM CLI:
 * `npm run typeorm -- migration:show`.
 */
export const dataSource = createDataSource(loadDatabaseConfig().database);
