import 'reflect-metadata';

// A promise that rejects with nobody listening is a bug even when every assertion passed.
process.on('unhandledRejection', (reason) => {
  throw reason;
});
