// The ESM build through a bundler, without a framework: plain DOM code.
import type { ConsentState } from 'consentkit';
import { kit } from '../shared.js';

const app = document.getElementById('app');
if (app) {
  app.innerHTML = `<h1>Bundler (ESM)</h1>
    <p>Decided: <strong data-testid="decided"></strong></p>
    <ul></ul>
    <p data-testid="analytics-content" hidden>Analytics is on: measured content goes here.</p>
    <button type="button" data-testid="preferences">Privacy settings</button>`;
  const list = app.querySelector('ul');
  const render = (state: ConsentState) => {
    const decided = app.querySelector('[data-testid=decided]');
    if (decided) decided.textContent = state.decided ? 'yes' : 'no';
    list?.replaceChildren(
      ...Object.entries(state.categories).map(([id, on]) => {
        const li = document.createElement('li');
        const value = document.createElement('span');
        value.dataset.testid = `cat-${id}`;
        value.textContent = on ? 'granted' : 'refused';
        li.append(`${id}: `, value);
        return li;
      }),
    );
    const content = app.querySelector<HTMLElement>('[data-testid=analytics-content]');
    if (content) content.hidden = !kit.isGranted('analytics');
  };
  render(kit.getState());
  kit.onChange((detail) => {
    render(detail.state);
  });
  app.querySelector('[data-testid=preferences]')?.addEventListener('click', () => {
    kit.showPreferences();
  });
}
