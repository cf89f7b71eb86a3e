/** @jsxImportSource preact */
import { render } from 'preact';
import { SurveyApp } from './SurveyApp.js';
import { safeStorage } from './store.js';
import './respondent.css';

// The respondent page's own entry: Preact and the answer model only (no React, Mantine, i18next
// or Zod), to stay within its budget of 80 KB of gzipped JavaScript on slow school Chromebooks.
render(
  <SurveyApp
    env={{
      path: location.pathname,
      navigatorLanguages: navigator.languages?.length ? navigator.languages : [navigator.language],
      local: safeStorage(() => localStorage),
      session: safeStorage(() => sessionStorage),
      online: () => navigator.onLine,
      go: (url) => location.assign(url),
    }}
  />,
  document.getElementById('app')!,
);
