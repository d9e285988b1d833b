import type { Config } from 'jest';

const config: Config = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  setupFilesAfterEnv: ['<rootDir>/test/setup/fail-on-unhandled.ts'],
  // Two cores: one worker per core keeps argon2 and the servers from starving each other.
  maxWorkers: 2,
  testTimeout: 20000,
};

export default config;
