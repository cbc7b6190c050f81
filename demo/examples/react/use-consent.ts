/**
 * `useConsent()`: the visitor's consent as React state. Re-renders on every
 * change of what is granted (also when another tab decides).
 */
import { useCallback, useSyncExternalStore } from 'react';
import type { ConsentKit, ConsentState } from 'consentkit';

export function useConsent(kit: ConsentKit): ConsentState {
  // Stable per kit, so React subscribes once rather than on every render.
  const subscribe = useCallback((onChange: () => void) => kit.onChange(onChange), [kit]);
  // getState() keeps returning the same object until something changes,
  // which is what useSyncExternalStore needs.
  const read = useCallback(() => kit.getState(), [kit]);
  return useSyncExternalStore(subscribe, read);
}
