// Serving a handler on 127.0.0.1 for the endpoint tests.
import { createServer, type Server } from 'node:http';
import type { ConsentHandler } from '../../src/server/index.js';

/** Handler options that keep the tests' output free of request logs. */
export const QUIET = { logLevel: 'silent' } as const;

/** Serves `handler` on a free port; `url` is its record path, `origin` the server's root. */
export async function serve(handler: ConsentHandler): Promise<{ server: Server; url: string; origin: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const origin = `http://127.0.0.1:${typeof address == 'object' && address ? address.port : 0}`;
  return { server, url: `${origin}/api/consent`, origin };
}

export const closeServer = (server: Server) =>
  new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
    server.closeAllConnections();
  });
