// Render functions instead of templates: no template compiler in the bundle.
import { createApp, defineComponent, h } from 'vue';
import { kit } from '../shared.js';
import { useConsent } from './use-consent.js';

const App = defineComponent({
  setup() {
    const state = useConsent(kit);
    return () =>
      h('main', [
        h('h1', 'Vue'),
        h('p', ['Decided: ', h('strong', { 'data-testid': 'decided' }, state.value.decided ? 'yes' : 'no')]),
        h(
          'ul',
          Object.entries(state.value.categories).map(([id, on]) =>
            h('li', { key: id }, [`${id}: `, h('span', { 'data-testid': `cat-${id}` }, on ? 'granted' : 'refused')]),
          ),
        ),
        state.value.categories.analytics ? h('p', { 'data-testid': 'analytics-content' }, 'Analytics is on: measured content goes here.') : null,
        h('button', { type: 'button', 'data-testid': 'preferences', onClick: () => { kit.showPreferences(); } }, 'Privacy settings'),
      ]);
  },
});

createApp(App).mount('#app');
