import 'reflect-metadata';

import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { buildAppSchema, printAppSchema } from '../graphql/schema';

// `schema.graphql` at the repository's root, seen from dist/src/cli.
const SCHEMA_FILE = resolve(__dirname, '..', '..', '..', 'schema.graphql');

async function main(): Promise<void> {
  const sdl = printAppSchema(await buildAppSchema());
  writeFileSync(SCHEMA_FILE, sdl);
  console.log(`Wrote ${SCHEMA_FILE}.`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
