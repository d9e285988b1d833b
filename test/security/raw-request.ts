import { request } from 'node:http';

import type { GraphQLResponse } from '../helpers/graphql';

export interface RawRequestOptions {
  method?: string;
  /** Replaces the path of `url`, as when probing paths the server does not serve. */
  path?: string;
  /** A query string, with its leading `?`. */
  search?: string;
  /**
   * Sent as they are. An array sends one header line per value, which `fetch` cannot do: it
   * joins them into one line.
   */
  headers?: Record<string, string | string[]>;
  /** Sent as it is: a Buffer for bytes that are not text, such as a compressed body. */
  body?: string | Buffer;
}

/** What came back, with the body as text and, when it is JSON, as a GraphQL response. */
export interface RawResponse extends GraphQLResponse<unknown> {
  text: string;
  contentType: string | undefined;
}

/**
 * Sends one HTTP request with node:http rather than `fetch`, so that a test controls the
 * bytes: repeated header lines, non-ASCII header bytes, any method and content type.
 */
export function rawRequest(url: string, options: RawRequestOptions = {}): Promise<RawResponse> {
  const target = new URL(url);
  if (options.path !== undefined) target.pathname = options.path;
  if (options.search !== undefined) target.search = options.search;

  // node:http leaves Content-Length out for DELETE and the like, which would make the body
  // look like a second request; it is set here unless the test asks for chunks.
  const headers = { ...options.headers };
  if (options.body !== undefined && !('transfer-encoding' in headers)) {
    headers['content-length'] = String(Buffer.byteLength(options.body));
  }

  return new Promise((resolve, reject) => {
    const outgoing = request(target, { method: options.method ?? 'POST', headers }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('error', reject);
      incoming.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const received = new Headers();
        for (const [name, value] of Object.entries(incoming.headers)) {
          if (value === undefined) continue;
          received.set(name, Array.isArray(value) ? value.join(', ') : value);
        }
        const contentType = incoming.headers['content-type'];
        const body = contentType?.startsWith('application/json')
          ? (JSON.parse(text) as Pick<GraphQLResponse<unknown>, 'data' | 'errors'>)
          : {};
        resolve({
          status: incoming.statusCode ?? 0,
          headers: received,
          text,
          contentType,
          ...body,
        });
      });
    });
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

/**
 * A header value whose bytes on the wire are the UTF-8 encoding of `text`. node:http writes
 * header strings as latin1, one byte a character, so each UTF-8 byte becomes one character.
 */
export function utf8HeaderValue(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}
