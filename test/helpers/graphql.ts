import type { GraphQLFormattedError } from 'graphql';

export interface GraphQLResponse<TData = Record<string, unknown>> {
  status: number;
  headers: Headers;
  data?: TData | null;
  errors?: (GraphQLFormattedError & { extensions?: Record<string, unknown> })[];
}

export interface RequestOptions {
  variables?: Record<string, unknown>;
  token?: string;
  /** Sent as they are, after `token`; `authorization` here replaces the bearer header. */
  headers?: Record<string, string>;
}

/** Sends one GraphQL operation over HTTP, as a client would. */
export async function graphql<TData = Record<string, unknown>>(
  url: string,
  query: string,
  options: RequestOptions = {},
): Promise<GraphQLResponse<TData>> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  Object.assign(headers, options.headers);

  const response = await fetch(url, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables: options.variables }),
  });
  const body = (await response.json()) as Pick<GraphQLResponse<TData>, 'data' | 'errors'>;
  return { status: response.status, headers: response.headers, ...body };
}

/** The `extensions.code` of every error, in order. */
export function codes(response: GraphQLResponse<unknown>): unknown[] {
  return (response.errors ?? []).map((error) => error.extensions?.code);
}

/** The response's data; fails the test, showing the errors, when there is none. */
export function dataOf<TData>(response: GraphQLResponse<TData>): TData {
  if (response.data === undefined || response.data === null) {
    throw new Error(`Expected data, got: ${JSON.stringify(response.errors)}`);
  }
  return response.data;
}
