import { createRoot } from 'react-dom/client';
import { kit } from '../shared.js';
import { useConsent } from './use-consent.js';

function App() {
  const state = useConsent(kit);
  return (
    <main>
      <h1>React</h1>
      <p>
        Decided: <strong data-testid="decided">{state.decided ? 'yes' : 'no'}</strong>
      </p>
      <ul>
        {Object.entries(state.categories).map(([id, on]) => (
          <li key={id}>
            {id}: <span data-testid={`cat-${id}`}>{on ? 'granted' : 'refused'}</span>
          </li>
        ))}
      </ul>
      {state.categories.analytics && <p data-testid="analytics-content">Analytics is on: measured content goes here.</p>}
      <button
        type="button"
        data-testid="preferences"
        onClick={() => {
          kit.showPreferences();
        }}
      >
        Privacy settings
      </button>
    </main>
  );
}

const app = document.getElementById('app');
if (app) createRoot(app).render(<App />);
