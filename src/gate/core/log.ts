/** Console output with one recognisable prefix. Errors stay in production builds. */
export const PREFIX = '[consentkit]';

export const logError = (...args: unknown[]): void => {
  console.error(PREFIX, ...args);
};

export const logWarn = (...args: unknown[]): void => {
  console.warn(PREFIX, ...args);
};
