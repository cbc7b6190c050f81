export const CHROME_ARGS: readonly string[];
export const NO_CHROME_MESSAGE: string;
export function findChrome(): string;
