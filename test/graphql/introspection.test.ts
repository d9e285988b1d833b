import { codes, graphql } from '../helpers/graphql';
import { startTestServer, type TestServer } from '../helpers/server';

const INTROSPECTION = '{ __schema { queryType { name } } }';

describe('introspection', () => {
  let server: TestServer | undefined;

  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('is on by default outside production', async () => {
    server = await startTestServer();
    const response = await graphql(server.url, INTROSPECTION);
    expect(response.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });

  it('is refused with INTROSPECTION=false', async () => {
    server = await startTestServer({ env: { INTROSPECTION: 'false' } });
    const response = await graphql(server.url, INTROSPECTION);
    expect(response.status).toBe(400);
    expect(codes(response)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });
});
