/**
 * `useConsent()`: the visitor's consent as a Vue ref, updated on every change
 * of what is granted (also when another tab decides), unsubscribed with the
 * component (or effect scope) that called it.
 */
import { onScopeDispose, shallowReadonly, shallowRef, type Ref } from 'vue';
import type { ConsentKit, ConsentState } from 'consentkit';

export function useConsent(kit: ConsentKit): Readonly<Ref<ConsentState>> {
  const state = shallowRef(kit.getState());
  onScopeDispose(
    kit.onChange((detail) => {
      state.value = detail.state;
    }),
  );
  return shallowReadonly(state);
}
