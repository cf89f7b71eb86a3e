// Lint rules that matter here: TypeScript's recommended set, accessibility in JSX (jsx-a11y),
// the rules of hooks, no `any` at module boundaries, and the wall between browser and server code.
import js from '@eslint/js';
import globals from 'globals';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', 'drizzle/', '.scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ['**/*.{js,mjs}'], languageOptions: { globals: globals.node } },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/client/**/*.{ts,tsx}', 'src/features/*/ui/**/*.{ts,tsx}'],
    plugins: { 'jsx-a11y': jsxA11y, 'react-hooks': reactHooks },
    rules: {
      ...jsxA11y.flatConfigs.recommended.rules,
      ...reactHooks.configs.recommended.rules,
      // The browser never imports server code (it would leak secrets and Node modules into the bundle).
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/server/**', '**/server/*'], message: 'UI code must not import server code; share types through <feature>.contract.ts or src/shared.' }] }],
    },
  },
  {
    // The respondent page (Preact): the same accessibility and hooks rules, and a guard on its size
    // budget. Types may come from anywhere; code never from React, Mantine, i18next, Zod or the
    // schema and contract modules that build Zod schemas when loaded.
    files: ['src/respondent/**/*.{ts,tsx}'],
    ignores: ['src/respondent/**/*.test.ts'],
    plugins: { 'jsx-a11y': jsxA11y, 'react-hooks': reactHooks },
    rules: {
      ...jsxA11y.flatConfigs.recommended.rules,
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: ['react', 'react-dom', 'zod', 'i18next', 'react-i18next'].map((name) => ({ name, message: 'The respondent page stays small: Preact and the Zod-free model only.', allowTypeImports: true })),
          patterns: [
            { group: ['@mantine/*', 'preact/compat'], message: 'The respondent page stays small: Preact and the Zod-free model only.' },
            { group: ['**/*.schema.js', '**/*.contract.js', '**/model/text.js'], message: 'These build Zod schemas when loaded: import types only (import type …), and pick/languages from model/lang.js.', allowTypeImports: true },
            { group: ['**/server/**', '**/client/**', '**/ui/**'], message: 'The respondent page imports only the shared model and contracts.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/server/**/*.ts', 'src/features/*/server/**/*.ts', 'src/shared/**/*.ts', 'src/features/*/*.contract.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/ui/**', '**/client/**'], message: 'Server and shared code must not import browser code.' }] }],
    },
  },
);
