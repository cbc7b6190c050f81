import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => boolean | Promise<boolean>;

export const CONTENT_TYPES: Readonly<Record<string, string>>;
export const NO_CACHE_HEADERS: Readonly<Record<string, string>>;
export function staticHandler(prefix: string, dir: string, options?: { headers?: Record<string, string> }): Handler;
export function createStaticServer(handlers: Handler[]): Server;
export function listen(server: Server, port: number, host?: string): Promise<number>;
