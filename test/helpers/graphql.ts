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
